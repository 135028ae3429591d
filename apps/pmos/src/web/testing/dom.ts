import { act } from 'react';

/** Lets effects, timers and queries settle (react-query notifies on a timer). */
export async function settle(): Promise<void> {
  for (let i = 0; i < 8; i++) await act(async () => new Promise((r) => setTimeout(r, 0)));
}

/** The button in `host` whose text or accessible label is `name`; throws when there is none. */
export function buttonIn(host: HTMLElement, name: string): HTMLButtonElement {
  const found = [...host.querySelectorAll('button')].find(
    (b) => b.textContent === name || b.getAttribute('aria-label') === name,
  );
  if (!found) throw new Error(`No button "${name}"`);
  return found;
}

/** Clicks, then lets what the click started settle. */
export async function clickAndSettle(element: HTMLElement): Promise<void> {
  await act(async () => element.click());
  await settle();
}

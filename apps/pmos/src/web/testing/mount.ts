import { act, type ReactNode } from 'react';
import { createRoot, type Root } from 'react-dom/client';

/** What `mount` has put on the page since the last clean-up. */
const mounted: { root: Root; host: HTMLElement }[] = [];

/**
 * Renders `ui` into a fresh div in document.body, inside act() so that it is on the page with
 * its effects run when this returns. There is no unmount to call: the web tests' setup file
 * (jsdom-setup.ts) takes down everything mounted after each test.
 */
export function mount(ui: ReactNode): { host: HTMLElement; rerender(next: ReactNode): void } {
  const host = document.createElement('div');
  document.body.append(host);
  const root = createRoot(host);
  mounted.push({ root, host });
  act(() => {
    root.render(ui);
  });
  return {
    host,
    rerender(next) {
      act(() => {
        root.render(next);
      });
    },
  };
}

/** Unmounts every root `mount` made and removes its host, so no test sees another's page. */
export function unmountAll(): void {
  const done = mounted.splice(0);
  act(() => {
    for (const { root } of done) root.unmount();
  });
  for (const { host } of done) host.remove();
}

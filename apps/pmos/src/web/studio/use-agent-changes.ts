import { type Flow, getStep } from '@pmos/flow';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';

/** How long changed cards stay marked. */
const markedFor = 6000;
/** A save from elsewhere this soon after the agent said it changed the flow is the agent's. */
const agentWindow = 60_000;
const none: ReadonlyMap<string, string> = new Map();

interface Change {
  steps: readonly string[];
  byAgent: boolean;
  marked: boolean;
}

function listOf(names: string[]): string {
  if (names.length <= 1) return names.join('');
  return `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}

/**
 * The steps a save from elsewhere changed (the editor's `changedElsewhere`), marked on the
 * canvas for a few seconds with who changed them, and said in words for screen readers.
 * `expect()` is called when the agent's trace says it changed the flow.
 */
export function useAgentChanges(changed: readonly string[], document: Flow) {
  const expectedAt = useRef(Number.NEGATIVE_INFINITY);
  const [change, setChange] = useState<Change | null>(null);
  useEffect(() => {
    if (changed.length === 0) return;
    const byAgent = Date.now() - expectedAt.current < agentWindow;
    setChange({ steps: changed, byAgent, marked: true });
    const timer = setTimeout(
      () => setChange((current) => (current ? { ...current, marked: false } : null)),
      markedFor,
    );
    return () => clearTimeout(timer);
  }, [changed]);

  const notes = useMemo(() => {
    if (!change?.marked) return none;
    const note = change.byAgent ? 'Changed by the agent' : 'Changed elsewhere';
    return new Map(change.steps.map((name) => [name, note]));
  }, [change]);
  // Said while the cards are marked; after, it would be old news next to newer messages.
  const announcement = useMemo(() => {
    if (!change?.marked) return '';
    const names = change.steps.map((name) => `“${getStep(document, name)?.displayName ?? name}”`);
    const who = change.byAgent ? 'The agent' : 'Someone else';
    return `${who} changed ${listOf(names)} on the canvas.`;
  }, [change, document]);
  const expect = useCallback(() => {
    expectedAt.current = Date.now();
  }, []);
  return useMemo(() => ({ notes, announcement, expect }), [notes, announcement, expect]);
}

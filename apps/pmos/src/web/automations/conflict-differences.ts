import { allSteps, type Flow, type FlowStep, parseFlow } from '@pmos/flow';

/** How the two sides of a conflict differ, step by step, in the steps' display names. */
export interface ConflictDifferences {
  renamed: { pmos: string; remote: string } | null;
  onlyInPmos: string[];
  onlyInRemote: string[];
  changed: string[];
}

const byName = (flow: Flow) =>
  new Map<string, FlowStep>(allSteps(flow).map(({ step }) => [step.name, step]));

// Key order differs between the two documents' writers: compare with keys sorted.
const stable = (value: unknown): string =>
  JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b)))
      : v,
  );

// The step without what hangs after or inside it: those steps are compared on their own.
const own = (step: FlowStep) => {
  const { nextAction: _next, ...rest } = step as FlowStep & { nextAction?: unknown };
  const body = rest as Record<string, unknown>;
  if ('children' in body) return stable({ ...body, children: null });
  if ('firstLoopAction' in body) return stable({ ...body, firstLoopAction: null });
  return stable(body);
};

/**
 * Compares the PMOS draft with the remote document of a conflict. Null when the remote
 * document cannot be read as a flow (then only the versions can be named).
 */
export function conflictDifferences(
  pmos: Flow,
  remoteDocument: unknown,
): ConflictDifferences | null {
  const parsed = parseFlow(remoteDocument);
  if (!parsed.success) return null;
  const remote = parsed.flow;
  const ours = byName(pmos);
  const theirs = byName(remote);
  const label = (step: FlowStep) => step.displayName || step.name;
  return {
    renamed:
      pmos.displayName === remote.displayName
        ? null
        : { pmos: pmos.displayName, remote: remote.displayName },
    onlyInPmos: [...ours].filter(([name]) => !theirs.has(name)).map(([, s]) => label(s)),
    onlyInRemote: [...theirs].filter(([name]) => !ours.has(name)).map(([, s]) => label(s)),
    changed: [...ours]
      .filter(([name, step]) => {
        const other = theirs.get(name);
        return other !== undefined && own(other) !== own(step);
      })
      .map(([, s]) => label(s)),
  };
}

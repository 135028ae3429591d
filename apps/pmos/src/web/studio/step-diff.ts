import { allSteps, type Flow, type FlowStep } from '@pmos/flow';

/** JSON with object keys sorted: the server's JSON may order keys differently from ours. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

/** What a person sees of a step: its name, kind and settings (not the steps after it). */
const shapeOf = (step: FlowStep) =>
  canonical([
    step.displayName,
    step.type,
    'settings' in step ? step.settings : null,
    'skip' in step ? (step.skip ?? false) : false,
  ]);

/** The steps of `after` that are new or changed since `before`, in run order. */
export function changedSteps(before: Flow, after: Flow): string[] {
  const old = new Map(allSteps(before).map(({ step }) => [step.name, shapeOf(step)]));
  return allSteps(after)
    .filter(({ step }) => old.get(step.name) !== shapeOf(step))
    .map(({ step }) => step.name);
}

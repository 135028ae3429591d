import { type Flow, getStep, precedingSteps, resolveTemplate } from '@pmos/flow';
import type { Catalog } from '../api-types.js';
import type { DataSource } from './data-picker.js';
import { sampleOutputOf } from './step-ops.js';
import type { TestRecords } from './test-results.js';

/** The output a step offers to the steps after it: its last test, else a sample. */
function outputOf(
  flow: Flow,
  name: string,
  catalog: Catalog,
  records: TestRecords,
  known: Record<string, unknown>,
): Omit<DataSource, 'stepName' | 'displayName'> | null {
  const step = getStep(flow, name);
  if (!step) return null;
  if (step.type === 'LOOP_ON_ITEMS') {
    // Inside a loop, `{{loop.item}}` is the current item: the first one stands for all.
    let items: unknown;
    try {
      items = resolveTemplate(step.settings.items, known);
    } catch {
      items = undefined;
    }
    return {
      output: { item: Array.isArray(items) ? (items[0] ?? null) : null, index: 0 },
      origin: 'sample',
    };
  }
  const record = records[name];
  if (record && record.output !== undefined)
    return { output: record.output, origin: record.origin };
  if (step.type === 'PLUGIN_TRIGGER' && step.settings.sampleData !== undefined) {
    return { output: step.settings.sampleData, origin: 'sample' };
  }
  const sample = sampleOutputOf(catalog, step);
  return sample === undefined ? null : { output: sample, origin: 'sample' };
}

/** What the data picker offers a step: outputs of the trigger and the steps that run before it. */
export function dataSourcesFor(
  flow: Flow,
  stepName: string,
  catalog: Catalog,
  records: TestRecords,
): DataSource[] {
  const sources: DataSource[] = [];
  const known: Record<string, unknown> = {};
  for (const name of precedingSteps(flow, stepName) ?? []) {
    const found = outputOf(flow, name, catalog, records, known);
    if (!found) continue;
    known[name] = found.output;
    sources.push({
      stepName: name,
      displayName: getStep(flow, name)?.displayName ?? name,
      ...found,
    });
  }
  return sources;
}

/** Sample data for testing a step: every earlier output the picker knows, by step name. */
export function sampleDataFor(sources: readonly DataSource[]): Record<string, unknown> {
  return Object.fromEntries(sources.map((s) => [s.stepName, s.output]));
}

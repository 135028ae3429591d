import {
  type Action,
  type CodeAction,
  type Flow,
  type LoopAction,
  type PluginAction,
  type RouterAction,
  resolveLoopItems,
  resolveTemplate,
  selectBranches,
} from '@pmos/flow';
import { redacted } from '../audit/scrub.js';
import { isPmosError } from '../errors.js';
import { RunError } from './errors.js';
import {
  isTruncated,
  limitForRecord,
  type RunFailure,
  type StepRecord,
  type StepStatus,
} from './records.js';

/** What running one plugin or code step gave: its output and what the run records of it. */
export interface StepExecution {
  output: unknown;
  /** The input as it may be shown (secrets masked). */
  recordedInput: unknown;
  /** The output as it may be shown; defaults to `output`. */
  recordedOutput?: unknown;
  logs?: string[];
}

/** A step's failure, with what the run may record of its input (secrets masked). */
export class StepExecutionError extends Error {
  constructor(
    readonly failure: unknown,
    readonly recordedInput: unknown,
    readonly logs?: string[],
  ) {
    super(failure instanceof Error ? failure.message : String(failure));
    this.name = 'StepExecutionError';
  }
}

/**
 * Runs the steps that do work; the engine owns everything around them. A failure is thrown
 * as a StepExecutionError (or any error, recorded without its input).
 */
export interface StepExecutor {
  run(
    step: PluginAction | CodeAction,
    input: Record<string, unknown>,
    signal: AbortSignal,
  ): Promise<StepExecution>;
}

export interface EngineLimits {
  /** Largest recorded input or output of one step, as JSON. */
  maxRecordedBytes: number;
  /** Step records kept per run (loops over many items stop recording beyond it). */
  maxRecords: number;
  /** Waits before the 2nd, 3rd … attempt of a step with "retry on failure". */
  retryDelaysMs: readonly number[];
  maxLoopItems: number;
}

export const defaultEngineLimits: EngineLimits = {
  maxRecordedBytes: 256 * 1024,
  maxRecords: 1000,
  retryDelaysMs: [1000, 4000],
  maxLoopItems: 10_000,
};

/** Why a run's signal was aborted: the run ends with the matching status. */
export class RunAbort extends Error {
  constructor(readonly kind: 'CANCELLED' | 'TIMED_OUT') {
    super(kind === 'CANCELLED' ? 'The run was cancelled.' : 'The run exceeded its time limit.');
    this.name = 'RunAbort';
  }
}

export interface EngineRun {
  flow: Flow;
  /** The trigger's event: `{{trigger.…}}` in templates. */
  triggerOutput: unknown;
  /** The trigger's own record, first of the timeline. */
  triggerRecord: StepRecord;
  executor: StepExecutor;
  signal: AbortSignal;
  limits?: Partial<EngineLimits>;
  /** Called whenever the timeline changes (a step starts or ends). */
  onProgress?(records: readonly StepRecord[]): void;
  /** Continue a failed run: records before `fromStep` (a top-level step) are kept as they are. */
  resume?: { fromStep: string; previous: readonly StepRecord[] };
}

export interface EngineOutcome {
  status: 'SUCCEEDED' | 'FAILED' | 'CANCELLED' | 'TIMED_OUT';
  records: StepRecord[];
  recordsDropped: number;
  error?: RunFailure;
}

class StepFailed extends Error {
  constructor(readonly failure: RunFailure) {
    super(failure.message);
  }
}

/** Input errors do not get better by trying again. */
const notRetryable = new Set(['invalid_step_input', 'code_syntax_error', 'connection_required']);

function failureOf(error: unknown, step: string): RunFailure {
  if (error instanceof StepExecutionError) return failureOf(error.failure, step);
  if (isPmosError(error)) return { code: error.code, message: error.message, step };
  const message = error instanceof Error ? error.message : String(error);
  return { code: 'step_failed', message: message.slice(0, 500), step };
}

/** A step that ignores the signal must not hold the run: the run ends when it is aborted. */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Runs a flow document: the chain below the trigger, loops over their items, routers'
 * matching branches, each plugin and code step through the executor with its templates
 * resolved against the trigger's event and earlier outputs. Every step leaves a record;
 * a failure stops the run unless the step continues on failure.
 */
export async function executeFlow(run: EngineRun): Promise<EngineOutcome> {
  const limits = { ...defaultEngineLimits, ...run.limits };
  const records: StepRecord[] = [];
  let recordsDropped = 0;
  const context: Record<string, unknown> = { trigger: run.triggerOutput };
  const progress = () => run.onProgress?.(records);

  const startRecord = (step: Action, iteration: number[]): StepRecord => {
    const record: StepRecord = {
      name: step.name,
      displayName: step.displayName,
      type: step.type,
      ...(iteration.length > 0 ? { iteration: [...iteration] } : {}),
      status: 'RUNNING',
      attempts: 0,
      startedAt: new Date().toISOString(),
    };
    if (records.length < limits.maxRecords) records.push(record);
    else recordsDropped++;
    return record;
  };
  const finish = (record: StepRecord, status: StepStatus, fields: Partial<StepRecord> = {}) => {
    const finishedAt = new Date();
    Object.assign(record, fields, {
      status,
      finishedAt: finishedAt.toISOString(),
      durationMs: finishedAt.getTime() - Date.parse(record.startedAt),
    });
    if (record.input !== undefined) {
      record.input = limitForRecord(record.input, limits.maxRecordedBytes);
    }
    if (record.output !== undefined) {
      record.output = limitForRecord(record.output, limits.maxRecordedBytes);
    }
    progress();
  };

  const runWorkStep = async (step: PluginAction | CodeAction, iteration: number[]) => {
    const record = startRecord(step, iteration);
    progress();
    const input = resolveTemplate(step.settings.input, context) as Record<string, unknown>;
    const options = step.settings.errorHandlingOptions;
    const attemptsAllowed = options?.retryOnFailure?.value ? 1 + limits.retryDelaysMs.length : 1;
    let lastError: unknown;
    for (let attempt = 1; attempt <= attemptsAllowed; attempt++) {
      if (attempt > 1) await sleep(limits.retryDelaysMs[attempt - 2] ?? 0, run.signal);
      record.attempts = attempt;
      try {
        const result = await untilAborted(run.executor.run(step, input, run.signal), run.signal);
        context[step.name] = result.output;
        finish(record, 'SUCCEEDED', {
          input: result.recordedInput,
          output: result.recordedOutput ?? result.output,
          ...(result.logs && result.logs.length > 0 ? { logs: result.logs } : {}),
        });
        return;
      } catch (error) {
        if (run.signal.aborted) {
          finish(record, 'FAILED', { error: failureOf(run.signal.reason, step.name) });
          throw run.signal.reason;
        }
        lastError = error;
        const cause = error instanceof StepExecutionError ? error.failure : error;
        if (isPmosError(cause) && notRetryable.has(cause.code)) break;
      }
    }
    const failure = failureOf(lastError, step.name);
    const details = lastError instanceof StepExecutionError ? lastError : undefined;
    finish(record, 'FAILED', {
      ...(details ? { input: details.recordedInput } : {}),
      error: failure,
      ...(details?.logs && details.logs.length > 0 ? { logs: details.logs } : {}),
    });
    if (options?.continueOnFailure?.value) {
      // What later steps see of a failed step: its error, as Activepieces exposes it.
      context[step.name] = { error: { code: failure.code, message: failure.message } };
      return;
    }
    throw new StepFailed(failure);
  };

  const runLoop = async (step: LoopAction, iteration: number[]) => {
    const record = startRecord(step, iteration);
    progress();
    const resolved = resolveLoopItems(step.settings.items, context);
    if (!resolved.ok || resolved.items.length > limits.maxLoopItems) {
      const failure: RunFailure = {
        code: 'invalid_loop_items',
        message: resolved.ok
          ? `The loop has ${resolved.items.length} items; a loop runs at most ${limits.maxLoopItems}.`
          : `The loop cannot run: ${resolved.reason}.`,
        step: step.name,
      };
      finish(record, 'FAILED', { error: failure });
      throw new StepFailed(failure);
    }
    const { items } = resolved;
    record.input = { items };
    for (const [index, item] of items.entries()) {
      if (run.signal.aborted) throw run.signal.reason;
      context[step.name] = { item, index };
      await runChain(step.firstLoopAction, [...iteration, index]);
    }
    const output = { iterations: items.length };
    context[step.name] = output;
    finish(record, 'SUCCEEDED', { output });
  };

  const runRouter = async (step: RouterAction, iteration: number[]) => {
    const record = startRecord(step, iteration);
    progress();
    const chosen = selectBranches(step.settings, context);
    const branches = chosen.map((i) => step.settings.branches[i]?.branchName ?? String(i));
    context[step.name] = { branches };
    // The router's record ends when its branches have run, so the timeline nests properly.
    for (const index of chosen) await runChain(step.children[index] ?? undefined, iteration);
    finish(record, 'SUCCEEDED', { output: { branches } });
  };

  const runChain = async (first: Action | undefined, iteration: number[]): Promise<void> => {
    for (let step = first; step; step = step.nextAction) {
      if (run.signal.aborted) throw run.signal.reason;
      if (step.skip) {
        finish(startRecord(step, iteration), 'SKIPPED');
        continue;
      }
      if (step.type === 'LOOP_ON_ITEMS') await runLoop(step, iteration);
      else if (step.type === 'ROUTER') await runRouter(step, iteration);
      else await runWorkStep(step, iteration);
    }
  };

  try {
    let first = run.flow.trigger.nextAction;
    records.push(run.triggerRecord);
    if (run.resume) {
      const kept = keptForResume(run.flow, run.resume.fromStep, run.resume.previous);
      records.splice(0, records.length, ...kept.records);
      Object.assign(context, kept.context);
      first = kept.first;
    }
    progress();
    await runChain(first, []);
    return { status: 'SUCCEEDED', records, recordsDropped };
  } catch (error) {
    if (error instanceof StepFailed) {
      return { status: 'FAILED', records, recordsDropped, error: error.failure };
    }
    if (error instanceof RunError) {
      return {
        status: 'FAILED',
        records,
        recordsDropped,
        error: { code: error.code, message: error.message },
      };
    }
    if (error instanceof RunAbort) {
      for (const record of records) {
        if (record.status === 'RUNNING') {
          Object.assign(record, {
            status: 'FAILED',
            error: { code: error.kind, message: error.message },
          });
        }
      }
      return {
        status: error.kind,
        records,
        recordsDropped,
        error: {
          code: error.kind === 'CANCELLED' ? 'run_cancelled' : 'run_timed_out',
          message: error.message,
        },
      };
    }
    throw error;
  }
}

/**
 * The part of a previous run a retry keeps: the records (and so the outputs) of the trigger
 * and of the top-level steps before `fromStep`, and the chain from `fromStep` on.
 */
export function keptForResume(
  flow: Flow,
  fromStep: string,
  previous: readonly StepRecord[],
): { records: StepRecord[]; context: Record<string, unknown>; first: Action | undefined } {
  let first: Action | undefined = flow.trigger.nextAction;
  const before = new Set<string>();
  while (first && first.name !== fromStep) {
    for (const name of namesIn(first)) before.add(name);
    first = first.nextAction;
  }
  if (!first) {
    throw new RunError('run_not_retryable', {
      message: `The flow has no top-level step "${fromStep}" to continue from: retry the run from the start.`,
    });
  }
  const records = previous.filter((r) => r.name === 'trigger' || before.has(r.name));
  const context: Record<string, unknown> = {};
  for (const record of records) {
    // The trigger's event is made again from the run's delivery (its record is masked).
    if (record.iteration || record.name === 'trigger') continue;
    if (record.status === 'FAILED' && record.error) {
      // Only a step that continued on failure is before the failed one.
      context[record.name] = { error: { code: record.error.code, message: record.error.message } };
      continue;
    }
    if (record.status !== 'SUCCEEDED') continue;
    if (isTruncated(record.output)) {
      throw new RunError('run_data_truncated', {
        message: `The output of ${record.name} was too large to keep, so the run cannot continue after it. Retry it from the start.`,
      });
    }
    if (JSON.stringify(record.output ?? null).includes(redacted)) {
      throw new RunError('run_data_masked', {
        message: `The output of ${record.name} held secrets, which runs never keep, so the run cannot continue after it. Retry it from the start.`,
      });
    }
    context[record.name] = record.output;
  }
  return { records: records.map((r) => ({ ...r })), context, first };
}

/** The top-level step (of the chain below the trigger) that is or holds `stepName`. */
export function topLevelStepOf(flow: Flow, stepName: string): string | null {
  for (let step = flow.trigger.nextAction; step; step = step.nextAction) {
    if (namesIn(step).includes(stepName)) return step.name;
  }
  return null;
}

function namesIn(step: Action): string[] {
  const names = [step.name];
  if (step.type === 'LOOP_ON_ITEMS') {
    for (let s = step.firstLoopAction; s; s = s.nextAction) names.push(...namesIn(s));
  }
  if (step.type === 'ROUTER') {
    for (const child of step.children) {
      for (let s = child ?? undefined; s; s = s.nextAction) names.push(...namesIn(s));
    }
  }
  return names;
}

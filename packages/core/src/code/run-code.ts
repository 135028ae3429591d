import {
  newQuickJSWASMModule,
  type QuickJSContext,
  type QuickJSHandle,
  type QuickJSWASMModule,
  shouldInterruptAfterDeadline,
} from 'quickjs-emscripten';
import { CataloguedError, type ErrorCatalogue } from '../errors.js';

const catalogue = {
  code_syntax_error: [400, 'The code does not parse.'],
  code_threw: [400, 'The code threw an error.'],
  code_timeout: [400, 'The code ran longer than its time limit.'],
  code_memory_limit: [400, 'The code used more memory than its limit.'],
  code_output_not_json: [400, 'The code returned something that is not JSON.'],
  code_output_too_large: [400, 'The code returned more data than the limit.'],
} as const satisfies ErrorCatalogue<string>;

export type CodeErrorCode = keyof typeof catalogue;

export class CodeError extends CataloguedError<CodeErrorCode> {
  constructor(code: CodeErrorCode, options: { message?: string } = {}) {
    super(catalogue, code, options);
    this.name = 'CodeError';
  }
}

export interface CodeLimits {
  timeoutMs: number;
  memoryBytes: number;
  /** Largest output, as JSON text. */
  maxOutputBytes: number;
  /** Lines of console output kept (the rest are counted, not kept). */
  maxLogLines: number;
}

export const defaultCodeLimits: CodeLimits = {
  timeoutMs: 1_000,
  memoryBytes: 32 * 1024 * 1024,
  maxOutputBytes: 1024 * 1024,
  maxLogLines: 100,
};

/**
 * One WebAssembly module serves every run (a fresh runtime each time). A run stopped by the
 * memory limit leaves QuickJS unable to free its runtime cleanly, so that module is dropped
 * whole — the garbage collector reclaims it — and the next run gets a new one.
 */
let shared: Promise<QuickJSWASMModule> | null = null;
const quickjs = () => {
  shared ??= newQuickJSWASMModule();
  return shared;
};
/** Drops the shared module if it is still the one a failed run used. */
const retire = async (module: QuickJSWASMModule) => {
  if (shared && (await shared) === module) shared = null;
};

export interface CodeResult {
  output: unknown;
  logs: string[];
}

/**
 * Runs a code step in a QuickJS sandbox (WebAssembly): no Node APIs, no network, no file
 * system — only JavaScript, the step's `inputs` (a JSON copy) and `console`. The code is the
 * body of an async function of `inputs`, or an Activepieces-style
 * `export const code = async (inputs) => …`. What it returns must be JSON.
 */
export async function runCode(
  source: string,
  inputs: unknown,
  limits: Partial<CodeLimits> = {},
): Promise<CodeResult> {
  const { timeoutMs, memoryBytes, maxOutputBytes, maxLogLines } = {
    ...defaultCodeLimits,
    ...limits,
  };
  const module = await quickjs();
  const runtime = module.newRuntime();
  runtime.setMemoryLimit(memoryBytes);
  // Below the WebAssembly stack, so deep recursion is QuickJS's own catchable error.
  runtime.setMaxStackSize(256 * 1024);
  runtime.setInterruptHandler(shouldInterruptAfterDeadline(Date.now() + timeoutMs));
  const context = runtime.newContext();
  const logs: string[] = [];
  let dropped = 0;
  let released = false;
  try {
    installConsole(context, (line) => {
      if (logs.length < maxLogLines) logs.push(line.slice(0, 2_000));
      else dropped++;
    });
    context.setProp(
      context.global,
      '__pmosInputs',
      context.newString(JSON.stringify(inputs ?? null)),
    );
    const evaluated = context.evalCode(wrap(source), 'step.js');
    unwrap(context, evaluated).dispose();
    // Nothing inside can wait on the host, so running the pending jobs settles the step (or
    // the interrupt handler stops it at the deadline). The outcome lands in two globals, so
    // no host-side promise handle is left behind if it fails.
    const pending = runtime.executePendingJobs();
    if (pending.error) throw describe(context, pending.error);
    const failed = context.getProp(context.global, '__pmosError');
    if (context.typeof(failed) !== 'undefined') throw describe(context, failed);
    failed.dispose();
    const result = context.getProp(context.global, '__pmosResult');
    if (context.typeof(result) !== 'string') {
      result.dispose();
      throw new CodeError('code_timeout');
    }
    const text = context.getString(result);
    result.dispose();
    if (Buffer.byteLength(text) > maxOutputBytes) {
      throw new CodeError('code_output_too_large', {
        message: `The code returned ${Math.ceil(Buffer.byteLength(text) / 1024)} KB; the limit is ${Math.floor(maxOutputBytes / 1024)} KB.`,
      });
    }
    if (dropped > 0) logs.push(`… ${dropped} more lines not kept`);
    return { output: JSON.parse(text), logs };
  } catch (error) {
    if (error instanceof CodeError && error.code === 'code_memory_limit') {
      await retire(module);
      released = true; // not freed: the whole module goes instead
    }
    throw error;
  } finally {
    if (!released) {
      try {
        context.dispose();
        runtime.dispose();
      } catch {
        // QuickJS aborted while freeing: that module is unusable from now on.
        await retire(module);
      }
    }
  }
}

function wrap(source: string): string {
  const activepiecesStyle = /\bexport\s+(const|let|async\s+function|function)\s+code\b/.test(
    source,
  );
  const body = activepiecesStyle
    ? `${source.replace(/\bexport\s+(?=(const|let|async\s+function|function)\s+code\b)/, '')}\nreturn await code(inputs);`
    : source;
  // The output crosses as JSON text, checked inside the sandbox.
  return `(async () => {
  const inputs = JSON.parse(globalThis.__pmosInputs);
  delete globalThis.__pmosInputs;
  const result = await (async (inputs) => {
${body}
  })(inputs);
  const text = JSON.stringify(result === undefined ? null : result);
  if (typeof text !== 'string') throw new TypeError('__pmos_not_json__');
  return text;
})().then((text) => { globalThis.__pmosResult = text; }, (error) => { globalThis.__pmosError = error; })`;
}

function installConsole(context: QuickJSContext, write: (line: string) => void): void {
  const consoleObject = context.newObject();
  for (const level of ['log', 'info', 'warn', 'error', 'debug']) {
    const fn = context.newFunction(level, (...args) => {
      write(args.map((arg) => format(context.dump(arg))).join(' '));
    });
    context.setProp(consoleObject, level, fn);
    fn.dispose();
  }
  context.setProp(context.global, 'console', consoleObject);
  consoleObject.dispose();
}

function format(value: unknown): string {
  if (typeof value === 'string') return value;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

function unwrap(
  context: QuickJSContext,
  result: { error?: QuickJSHandle; value?: QuickJSHandle },
): QuickJSHandle {
  if (result.error) throw describe(context, result.error);
  return result.value as QuickJSHandle;
}

/** A sandbox error, as a typed error with a message for the person who wrote the code. */
function describe(context: QuickJSContext, handle: QuickJSHandle): CodeError {
  const error = context.dump(handle) as { name?: string; message?: string; stack?: string };
  handle.dispose();
  const name = error?.name ?? 'Error';
  const message = error?.message ?? String(error);
  if (name === 'InternalError' && message === 'interrupted') return new CodeError('code_timeout');
  if (name === 'InternalError' && /out of memory/.test(message)) {
    return new CodeError('code_memory_limit');
  }
  if ((name === 'RangeError' || name === 'InternalError') && /stack/i.test(message)) {
    return new CodeError('code_memory_limit', { message: 'The code recursed too deeply.' });
  }
  if (message === '__pmos_not_json__' || /BigInt|circular/i.test(message)) {
    return new CodeError('code_output_not_json', {
      message: `The code returned something that is not JSON (${message === '__pmos_not_json__' ? 'a function or symbol' : message}).`,
    });
  }
  if (name === 'SyntaxError') {
    return new CodeError('code_syntax_error', { message: `The code does not parse: ${message}.` });
  }
  return new CodeError('code_threw', { message: `The code threw ${name}: ${message}` });
}

import { describe, expect, it } from 'vitest';
import { CodeError, runCode } from './run-code.js';

const failure = async (promise: Promise<unknown>) => {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(CodeError);
    return { code: (error as CodeError).code, message: (error as CodeError).message };
  }
  throw new Error('expected the code to fail');
};

describe('runCode (QuickJS sandbox)', () => {
  it('runs a body with inputs and returns JSON', async () => {
    const result = await runCode(
      'return { total: inputs.a + inputs.b, names: inputs.people.map((p) => p.name) };',
      {
        a: 2,
        b: 3,
        people: [{ name: 'Ada' }, { name: 'Bo' }],
      },
    );
    expect(result).toEqual({ output: { total: 5, names: ['Ada', 'Bo'] }, logs: [] });
  });

  it('accepts the Activepieces form, async code and console output', async () => {
    const source = `export const code = async (inputs) => {
      console.log('got', inputs.n, { deep: true });
      const doubled = await Promise.resolve(inputs.n * 2);
      return doubled;
    };`;
    expect(await runCode(source, { n: 21 })).toEqual({
      output: 42,
      logs: ['got 21 {"deep":true}'],
    });
    expect((await runCode('return undefined;', {})).output).toBeNull();
  });

  it('gives the code no Node, network or host objects, and only a copy of its inputs', async () => {
    const probe = await runCode(
      `inputs.changed = true;
       return [typeof require, typeof process, typeof fetch, typeof globalThis.__pmosInputs, typeof setTimeout];`,
      { changed: false },
    );
    expect(probe.output).toEqual(['undefined', 'undefined', 'undefined', 'undefined', 'undefined']);
    const inputs = { changed: false };
    await runCode('inputs.changed = true; Object.prototype.polluted = 1; return null;', inputs);
    expect(inputs.changed).toBe(false);
    expect(({} as { polluted?: number }).polluted).toBeUndefined();
  });

  it('stops code at its time limit, including async loops', async () => {
    expect(await failure(runCode('while (true) {}', {}, { timeoutMs: 50 }))).toMatchObject({
      code: 'code_timeout',
    });
    const asyncLoop = 'for (;;) { await null; }';
    expect(await failure(runCode(asyncLoop, {}, { timeoutMs: 50 }))).toMatchObject({
      code: 'code_timeout',
    });
  });

  it('stops code at its memory limit and deep recursion', async () => {
    const hog = 'const a = []; for (;;) a.push({ n: a.length, s: "x" + a.length });';
    expect(
      await failure(runCode(hog, {}, { memoryBytes: 2 * 1024 * 1024, timeoutMs: 5_000 })),
    ).toMatchObject({ code: 'code_memory_limit' });
    expect(await failure(runCode('const f = () => f(); f();', {}))).toMatchObject({
      code: 'code_memory_limit',
      message: 'The code recursed too deeply.',
    });
    // A run stopped for memory does not spoil the next one.
    expect((await runCode('return inputs.ok;', { ok: 'still fine' })).output).toBe('still fine');
  });

  it('explains syntax errors, throws and non-JSON or oversized output', async () => {
    expect(await failure(runCode('return {', {}))).toMatchObject({ code: 'code_syntax_error' });
    expect(await failure(runCode('throw new TypeError("no name given")', {}))).toEqual({
      code: 'code_threw',
      message: 'The code threw TypeError: no name given',
    });
    expect(await failure(runCode('return () => 1;', {}))).toMatchObject({
      code: 'code_output_not_json',
    });
    expect(await failure(runCode('return 10n;', {}))).toMatchObject({
      code: 'code_output_not_json',
    });
    expect(
      await failure(runCode('return "x".repeat(5000);', {}, { maxOutputBytes: 1024 })),
    ).toEqual({
      code: 'code_output_too_large',
      message: 'The code returned 5 KB; the limit is 1 KB.',
    });
  });

  it('keeps a bounded number of console lines', async () => {
    const result = await runCode(
      'for (let i = 0; i < 5; i++) console.log(i); return 1;',
      {},
      {
        maxLogLines: 2,
      },
    );
    expect(result.logs).toEqual(['0', '1', '… 3 more lines not kept']);
  });
});

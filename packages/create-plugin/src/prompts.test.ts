import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';

/** The terminal questions, answered by the test; `cancelAt` makes one of them Ctrl-C. */
const answers: { select: unknown[]; text: unknown[]; asked: string[] } = {
  select: [],
  text: [],
  asked: [],
};
const CANCEL = Symbol('clack:cancel');

vi.mock('@clack/prompts', () => ({
  intro: () => {},
  cancel: () => {},
  isCancel: (value: unknown) => value === CANCEL,
  select: async (o: { message: string }) => {
    answers.asked.push(o.message);
    return answers.select.shift();
  },
  text: async (o: {
    message: string;
    defaultValue?: string;
    validate?: (v: string | undefined) => string | undefined;
  }) => {
    answers.asked.push(o.message);
    const typed = answers.text.shift();
    if (typeof typed !== 'string') return typed;
    const value = typed || o.defaultValue || '';
    // The real prompt keeps asking until validate passes; here a failure ends the test.
    const problem = o.validate?.(typed);
    if (problem) throw new Error(`validation failed: ${problem}`);
    return value;
  },
}));

const { run } = await import('./main.js');

const scratch = mkdtempSync(join(tmpdir(), 'create-pmos-plugin-prompts-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

async function interactive(args: string[]) {
  let stderr = '';
  const code = await run(args, {
    cwd: scratch,
    stdout: () => {},
    stderr: (text) => {
      stderr += text;
    },
    interactive: true,
  });
  return { code, stderr };
}

describe('in a terminal', () => {
  beforeEach(() => {
    answers.select = [];
    answers.text = [];
    answers.asked = [];
  });

  it('asks only for what the flags left out, suggesting defaults', async () => {
    answers.select = ['ai-provider'];
    answers.text = ['', 'Acme Models']; // id: take the suggestion from the directory
    const { code, stderr } = await interactive(['acme-models']);
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(answers.asked).toEqual([
      'What does the plugin contribute?',
      'Plugin id (a-z, 0-9 and "-")',
      'Display name',
    ]);
    const pkg = JSON.parse(readFileSync(join(scratch, 'acme-models', 'package.json'), 'utf8'));
    expect(pkg.pmos).toMatchObject({ id: 'acme-models', displayName: 'Acme Models' });
  });

  it('asks for the directory last, defaulting to the id', async () => {
    answers.text = ['', ''];
    const { code } = await interactive(['-t', 'panel', '--id', 'dash-widget']);
    expect(code).toBe(0);
    expect(answers.asked).toEqual(['Display name', 'Directory']);
    const pkg = JSON.parse(readFileSync(join(scratch, 'dash-widget', 'package.json'), 'utf8'));
    expect(pkg.pmos.displayName).toBe('Dash Widget');
  });

  it('rejects a bad id as it is typed', async () => {
    answers.select = ['connector'];
    answers.text = ['Not An Id'];
    await expect(interactive(['somewhere'])).rejects.toThrow(/is not a valid plugin id/);
  });

  it('stops with exit code 1 and writes nothing when cancelled', async () => {
    answers.select = [CANCEL];
    const { code, stderr } = await interactive(['cancelled-one']);
    expect(code).toBe(1);
    expect(stderr).toBe('error: Cancelled: nothing was written\n');
  });

  it('asks nothing with --yes', async () => {
    const { code } = await interactive(['quiet-one', '--yes']);
    expect(code).toBe(0);
    expect(answers.asked).toEqual([]);
  });
});

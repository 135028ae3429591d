import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { sdkVersion } from '@pmos/sdk';
import { afterAll, describe, expect, it } from 'vitest';
import { run } from './main.js';

const scratch = mkdtempSync(join(tmpdir(), 'create-pmos-plugin-run-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
let counter = 0;

/** Runs the CLI in-process in a fresh working directory, capturing what it prints. */
async function cli(args: string[], options: { interactive?: boolean } = {}) {
  const cwd = join(scratch, `cwd-${++counter}`);
  mkdirSync(cwd);
  let stdout = '';
  let stderr = '';
  const code = await run(args, {
    cwd,
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
    },
    interactive: options.interactive ?? false,
  });
  return { code, stdout, stderr, cwd };
}

const sdkDir = resolve(import.meta.dirname, '../../sdk');
const readPackage = (dir: string) => JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));

describe('create-pmos-plugin', () => {
  it('creates a project from flags and prints the next steps', async () => {
    const { code, stdout, stderr, cwd } = await cli([
      'tasks',
      '--template',
      'connector',
      '--id',
      'acme-tasks',
      '--name',
      'Acme Tasks',
    ]);
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    const pkg = readPackage(join(cwd, 'tasks'));
    expect(pkg.pmos).toMatchObject({ id: 'acme-tasks', displayName: 'Acme Tasks' });
    expect(pkg.pmos.sdk).toBe(`^${sdkVersion}`);
    expect(pkg.devDependencies['@pmos/sdk']).toBe(`^${sdkVersion}`);
    expect(stdout).toContain('  cd tasks\n  pnpm install\n  pnpm test\n  pnpm build\n');
    expect(stdout).toContain(`PMOS_PLUGINS_DIR=${cwd} pnpm start`);
  });

  it('fills in the rest from the directory with --yes', async () => {
    const { code, cwd } = await cli(['weather-alerts', '--yes']);
    expect(code).toBe(0);
    const pkg = readPackage(join(cwd, 'weather-alerts'));
    expect(pkg.pmos).toMatchObject({
      id: 'weather-alerts',
      displayName: 'Weather Alerts',
      server: { entry: './dist/server.js' },
    });
  });

  it('writes into a directory named after --id when none is given', async () => {
    const { code, cwd } = await cli(['--id', 'acme-ai', '-t', 'ai-provider', '-y']);
    expect(code).toBe(0);
    expect(existsSync(join(cwd, 'acme-ai', 'src', 'provider.ts'))).toBe(true);
  });

  it('links a local SDK with --sdk-path and takes the range from it', async () => {
    const { code, stderr, cwd } = await cli([
      'widget',
      '-t',
      'panel',
      '--sdk-path',
      sdkDir,
      '--sdk',
      '>=0.1.0 <0.3.0',
      '-y',
    ]);
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    const pkg = readPackage(join(cwd, 'widget'));
    expect(pkg.devDependencies['@pmos/sdk']).toBe(`link:${sdkDir}`);
    expect(pkg.pmos.sdk).toBe('>=0.1.0 <0.3.0');
  });

  it.each([
    [['x', '--id', 'Acme', '-y'], /^error: "Acme" is not a valid plugin id/],
    [['x', '--id', 'ok-id', '--name', ' ', '-y'], /^error: The display name must not be empty/],
    [['x', '--id', 'ok-id', '--sdk', 'latest!', '-y'], /^error: "latest!" is not a semver range/],
    [
      ['x', '-t', 'theme', '-y'],
      /^error: option '-t, --template <kind>' argument 'theme' is invalid/,
    ],
    [['x', '--bogus'], /^error: unknown option '--bogus'/],
    [['--yes'], /^error: Name the plugin: give a directory or --id/],
    [['!!!', '--yes'], /^error: Cannot make a plugin id from "!!!": give one with --id/],
    [['x', '--id', 'ok-id', '--sdk-path', '/nonexistent/sdk', '-y'], /^error: --sdk-path/],
  ])('refuses %j with one line and exit code 1', async (args, message) => {
    const { code, stderr, stdout, cwd } = await cli(args);
    expect(code).toBe(1);
    expect(stderr).toMatch(message);
    expect(stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(stdout).toBe('');
    expect(readdirSync(cwd)).toEqual([]);
  });

  it('refuses a non-empty target directory and leaves it as it was', async () => {
    const cwd = join(scratch, `cwd-${++counter}`);
    mkdirSync(join(cwd, 'taken'), { recursive: true });
    writeFileSync(join(cwd, 'taken', 'index.ts'), '// mine');
    let stderr = '';
    const code = await run(['taken', '--id', 'acme-tasks', '-y'], {
      cwd,
      stdout: () => {},
      stderr: (text) => {
        stderr += text;
      },
      interactive: true,
    });
    expect(code).toBe(1);
    expect(stderr).toMatch(/^error: .*taken is not empty \(1 entry\)/);
    expect(readdirSync(join(cwd, 'taken'))).toEqual(['index.ts']);
  });

  it('prints help and its version with exit code 0', async () => {
    const help = await cli(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('--template <kind>');
    expect(help.stdout).toContain('--sdk-path <path>');
    const version = await cli(['--version']);
    expect(version).toMatchObject({ code: 0, stdout: '0.1.0\n' });
  });
});

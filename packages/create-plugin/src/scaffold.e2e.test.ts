import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, extname, join, relative, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// The built PMOS, started as `pnpm start` does (a test helper of apps/pmos).
import { startServer } from '../../../apps/pmos/src/testing/cli-process.js';
import { type TemplateKind, templateKinds } from './scaffold.js';

/**
 * The built CLI, for real: each template is generated into a temp directory outside the
 * monorepo (linked to the local, unpublished @pmos/sdk), then installed, type-checked,
 * built, tested and packed with pnpm, as a plugin author would.
 */

const packageDir = resolve(import.meta.dirname, '..');
const monorepoRoot = resolve(packageDir, '../..');
const cliPath = join(packageDir, 'dist', 'cli.js');
const sdkDir = resolve(packageDir, '../sdk');

/** pnpm as the test was started with it, else the one on PATH. */
const pnpmPath = process.env.npm_execpath;

/**
 * The children's environment: this Node (24) first on PATH, so the generated project's
 * scripts run on it too, and nothing of the outer pnpm script or vitest run leaking in.
 */
function childEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^(npm_|pnpm_|vitest|node_env$|test$|init_cwd$)/i.test(key)) continue;
    env[key] = value;
  }
  env.PATH = [dirname(process.execPath), process.env.PATH].join(delimiter);
  delete env.FORCE_COLOR;
  env.NO_COLOR = '1';
  return env;
}

interface Result {
  code: number | null;
  output: string;
}

function exec(command: string, args: string[], cwd: string, timeoutMs = 180_000): Promise<Result> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, { cwd, env: childEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += chunk;
    });
    child.stderr.on('data', (chunk) => {
      output += chunk;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolvePromise({ code, output });
    });
  });
}

function pnpm(args: string[], cwd: string): Promise<Result> {
  if (pnpmPath && ['.js', '.cjs', '.mjs'].includes(extname(pnpmPath))) {
    return exec(process.execPath, [pnpmPath, ...args], cwd);
  }
  return exec(pnpmPath ?? 'pnpm', args, cwd);
}

/** Asserts exit code 0, showing the command's output when it is not. */
function expectSuccess(step: string, result: Result): void {
  expect(result.code, `${step} exited with ${result.code}:\n${result.output.slice(-4000)}`).toBe(0);
}

function newestSourceTime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || /\.test\.ts$/.test(entry.name)) continue;
    newest = Math.max(newest, statSync(join(entry.parentPath, entry.name)).mtimeMs);
  }
  return newest;
}

const scratch = mkdtempSync(join(tmpdir(), 'create-pmos-plugin-e2e-'));

beforeAll(async () => {
  if (!relative(monorepoRoot, scratch).startsWith('..')) {
    throw new Error(`The temp directory ${scratch} is inside the monorepo: set TMPDIR elsewhere`);
  }
  if (!existsSync(join(sdkDir, 'dist', 'server', 'index.js'))) {
    throw new Error(
      `@pmos/sdk is not built (${sdkDir}/dist is missing): run \`pnpm --filter @pmos/sdk run build\` (turbo builds it before \`pnpm test\`)`,
    );
  }
  // The CLI under test is the built one. turbo builds it before `pnpm test`; when it is
  // missing or older than its sources (a local run after an edit), build it here.
  const stale =
    !existsSync(cliPath) || statSync(cliPath).mtimeMs < newestSourceTime(join(packageDir, 'src'));
  if (stale) {
    const build = await exec(join(packageDir, 'node_modules', '.bin', 'tsup'), [], packageDir);
    expectSuccess('building dist/cli.js (tsup)', build);
  }
  if (!existsSync(cliPath)) {
    throw new Error(`${cliPath} is missing: run \`pnpm --filter create-pmos-plugin run build\``);
  }
}, 120_000);

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Install from the pnpm store without the network; fall back to it if a package is missing. */
async function install(dir: string): Promise<Result> {
  const offline = await pnpm(['install', '--offline', '--no-frozen-lockfile'], dir);
  if (offline.code === 0) return offline;
  return pnpm(['install', '--prefer-offline', '--no-frozen-lockfile'], dir);
}

describe('e2e: generated plugins install, type-check, build, test and pack', () => {
  const expected: Record<TemplateKind, string[]> = {
    connector: ['dist/server.js'],
    'ai-provider': ['dist/server.js'],
    panel: ['dist/ui/mf-manifest.json', 'dist/ui/remoteEntry.js'],
  };

  it.each(templateKinds)(
    'the %s template',
    async (template) => {
      const id = `acme-${template}`;
      const created = await exec(
        process.execPath,
        [
          cliPath,
          id,
          '--template',
          template,
          '--id',
          id,
          '--name',
          `Acme ${template}`,
          '--sdk-path',
          sdkDir,
          '--yes',
        ],
        scratch,
      );
      expectSuccess('create-pmos-plugin', created);
      expect(created.output).toContain(`PMOS_PLUGINS_DIR=${scratch} pnpm start`);
      const dir = join(scratch, id);

      expectSuccess('pnpm install', await install(dir));
      expectSuccess('pnpm run typecheck', await pnpm(['run', 'typecheck'], dir));
      expectSuccess('pnpm run build', await pnpm(['run', 'build'], dir));
      for (const file of expected[template]) {
        expect(existsSync(join(dir, file)), `${file} after the build`).toBe(true);
      }
      const tests = await pnpm(['test'], dir);
      expectSuccess('pnpm test', tests);
      // biome-ignore lint/suspicious/noControlCharactersInRegex: strips colour codes
      expect(tests.output.replace(/\x1b\[[0-9;]*m/g, '')).toMatch(/Tests\s+\d+ passed/);
      expectSuccess('pnpm pack', await pnpm(['pack'], dir));
      expect(existsSync(join(dir, `${id}-0.1.0.tgz`)), 'the packed tarball').toBe(true);
    },
    240_000,
  );
});

describe('e2e: a generated plugin, installed, shows up in a running PMOS', () => {
  it('is loaded from PMOS_PLUGINS_DIR, offered, enabled and described', async () => {
    const packed = join(scratch, 'acme-connector', 'acme-connector-0.1.0.tgz');
    const panel = join(scratch, 'acme-panel', 'acme-panel-0.1.0.tgz');
    expect(existsSync(packed), 'the connector test ran first and packed it').toBe(true);
    // Installed the way an operator would: the unpacked tarball, no node_modules at all —
    // @pmos/sdk (a peer) comes from the host.
    const installed = join(scratch, 'installed');
    for (const [tarball, name] of [
      [packed, 'acme-connector'],
      [panel, 'acme-panel'],
    ] as const) {
      const dir = join(installed, name);
      expectSuccess('mkdir', await exec('mkdir', ['-p', dir], scratch));
      expectSuccess(
        'tar',
        await exec('tar', ['-xzf', tarball, '-C', dir, '--strip-components=1'], scratch),
      );
    }
    const pmos = await startServer(
      { PMOS_DATA_DIR: join(scratch, 'pmos-data'), PMOS_PLUGINS_DIR: installed },
      60_000,
    );
    try {
      const cookies: Record<string, string> = {};
      const call = async (who: string, method: string, path: string, body?: unknown) => {
        const response = await fetch(`${pmos.url}${path}`, {
          method,
          headers: {
            ...(body === undefined ? {} : { 'content-type': 'application/json' }),
            ...(method === 'GET' ? {} : { origin: pmos.url }),
            ...(cookies[who] ? { cookie: cookies[who] } : {}),
          },
          body: body === undefined ? undefined : JSON.stringify(body),
        });
        const session = response.headers.getSetCookie().find((c) => c.startsWith('pmos_session='));
        if (session) cookies[who] = session.split(';')[0] ?? '';
        // biome-ignore lint/suspicious/noExplicitAny: response bodies are checked by assertions
        return { status: response.status, body: (await response.json()) as any };
      };
      const signUp = (who: string) =>
        call(who, 'POST', '/api/auth/sign-up', {
          email: `${who}@example.com`,
          password: 'correct horse battery staple',
          name: who,
        });
      await signUp('root');
      const ws = (await signUp('ada')).body.workspaces[0].id as string;

      const all = await call('root', 'GET', '/api/admin/plugins');
      const byId = Object.fromEntries(all.body.data.map((p: { id: string }) => [p.id, p]));
      expect(byId['acme-connector']).toMatchObject({ status: 'loaded', source: 'installed' });
      expect(byId['acme-panel']).toMatchObject({ status: 'loaded', source: 'installed' });

      for (const id of ['acme-connector', 'acme-panel']) {
        expect(
          (await call('root', 'PUT', `/api/admin/plugins/${id}`, { available: true })).status,
        ).toBe(200);
        const enabled = await call('ada', 'PUT', `/api/workspaces/${ws}/plugins/${id}`, {
          enabled: true,
        });
        expect(enabled.body).toMatchObject({ id, enabled: true, permissions: expect.any(Object) });
      }
      const catalog = await call('ada', 'GET', `/api/workspaces/${ws}/catalog`);
      // Besides the bundled Core plugin, enabled in every workspace.
      expect(
        catalog.body.connectors.filter((c: { pluginId: string }) => c.pluginId !== 'core'),
      ).toEqual([
        expect.objectContaining({
          pluginId: 'acme-connector',
          auth: expect.objectContaining({ kind: 'secret_text' }),
          actions: expect.arrayContaining([expect.objectContaining({ risk: 'write' })]),
        }),
      ]);
      const remotes = await call('ada', 'GET', `/api/workspaces/${ws}/plugins/ui`);
      expect(remotes.body.data).toEqual([
        expect.objectContaining({ pluginId: 'acme-panel', mfName: 'pmos_acme_panel' }),
      ]);
      const manifest = await fetch(`${pmos.url}${remotes.body.data[0].manifestUrl}`);
      expect(manifest.status).toBe(200);
      expect(((await manifest.json()) as { name: string }).name).toBe('pmos_acme_panel');
    } finally {
      await pmos.stop();
    }
  }, 120_000);
});

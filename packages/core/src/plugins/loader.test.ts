import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sdkVersion } from '@pmos/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { discoverPlugins } from './discovery.js';
import { loadPlugins } from './loader.js';
import { PluginRegistry } from './registry.js';

let root: string;

/** Writes a plugin package: package.json with `pmos`, and optionally a server entry. */
async function plugin(dir: string, pkg: Record<string, unknown>, server?: string): Promise<void> {
  await mkdir(join(root, dir), { recursive: true });
  await writeFile(join(root, dir, 'package.json'), JSON.stringify(pkg));
  if (server !== undefined) await writeFile(join(root, dir, 'server.js'), server);
}

const manifest = (id: string, extra: Record<string, unknown> = {}) => ({
  id,
  displayName: id,
  sdk: `^${sdkVersion}`,
  server: { entry: './server.js' },
  permissions: { hosts: ['api.example.com'] },
  ...extra,
});

// Plain objects: a plugin needs no SDK at run time; the host re-checks what it exports.
const serverOf = (id: string, version: string, extra = '') => `export default {
  id: '${id}', version: '${version}', sdk: '^0.1.0', displayName: '${id}',
  contributes: { connectors: [{ id: 'api', displayName: 'API', auth: { kind: 'none' },
    actions: [{ id: 'ping', displayName: 'Ping', description: 'Pings.', risk: 'read', props: {},
      run: async () => 'pong' }] }] },
  ${extra}
};`;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'pmos-plugins-'));
  await plugin(
    'good',
    { name: 'good', version: '1.0.0', pmos: manifest('good') },
    serverOf('good', '1.0.0'),
  );
  await plugin(
    'throws-on-import',
    { name: 'broken', version: '1.0.0', pmos: manifest('broken') },
    `throw new Error('boom at import with token=sk-abcdefghijklmnopqrstuvwx');`,
  );
  await plugin(
    'too-new',
    { name: 'too-new', version: '1.0.0', pmos: manifest('too-new', { sdk: '^99.0.0' }) },
    serverOf('too-new', '1.0.0'),
  );
  await plugin('malformed', { name: 'malformed', version: '1.0.0', pmos: { id: 'Bad Id' } });
  await plugin('not-a-plugin', { name: 'just-a-package', version: '1.0.0' });
  await plugin(
    'wrong-id',
    { name: 'wrong-id', version: '1.0.0', pmos: manifest('wrong-id') },
    serverOf('other-id', '1.0.0'),
  );
  await plugin(
    'zz-duplicate',
    { name: 'dup', version: '2.0.0', pmos: manifest('good') },
    serverOf('good', '2.0.0'),
  );
  await plugin(
    'slow-setup',
    { name: 'slow', version: '1.0.0', pmos: manifest('slow') },
    serverOf('slow', '1.0.0', 'setup: () => new Promise(() => {}),'),
  );
  const configured = `configSchema: { safeParse: (v) => v.region
      ? { success: true, data: v }
      : { success: false, error: { issues: [{ path: ['region'], message: 'is required' }] } } },
    setup: (ctx) => { globalThis.__configuredWith = ctx.config; },`;
  await plugin(
    'needs-config',
    { name: 'needs-config', version: '1.0.0', pmos: manifest('needs-config') },
    serverOf('needs-config', '1.0.0', configured),
  );
  await plugin(
    'configured',
    { name: 'configured', version: '1.0.0', pmos: manifest('configured') },
    serverOf('configured', '1.0.0', configured),
  );
  await plugin('no-build', { name: 'no-build', version: '1.0.0', pmos: manifest('no-build') });
  await plugin('ui-missing', {
    name: 'ui-missing',
    version: '1.0.0',
    pmos: {
      id: 'ui-missing',
      displayName: 'UI',
      sdk: '^0.1.0',
      ui: { manifest: './dist/mf-manifest.json', panels: [] },
    },
  });
});

afterAll(() => rm(root, { recursive: true, force: true }));

describe('plugin host loading', () => {
  it('loads the good plugin and refuses each broken one with a reason, never throwing', async () => {
    const discovered = await discoverPlugins([{ dir: root, source: 'installed' }]);
    expect(discovered.map((d) => d.dir.split('/').pop())).not.toContain('not-a-plugin');
    const hosted = await loadPlugins(discovered, {
      logger: () => ({ debug() {}, info() {}, warn() {}, error() {} }),
      setupTimeoutMs: 200,
      config: { configured: { region: 'eu' } },
    });
    const byDir = Object.fromEntries(hosted.map((p) => [p.dir.split('/').pop(), p]));

    expect(byDir.good).toMatchObject({ status: 'loaded', id: 'good', version: '1.0.0' });
    const problems = Object.fromEntries(
      hosted.filter((p) => p.status === 'refused').map((p) => [p.dir.split('/').pop(), p.problem]),
    );
    expect(problems['throws-on-import']).toContain('boom at import');
    expect(problems['throws-on-import']).not.toContain('sk-abcdefghijklmnopqrstuvwx');
    expect(problems['too-new']).toBe(
      `It needs @pmos/sdk ^99.0.0, but this PMOS provides ${sdkVersion}. Install a version of the plugin made for this PMOS.`,
    );
    expect(problems.malformed).toMatch(/pmos\.id must be 2–64 characters/);
    expect(problems['wrong-id']).toBe(
      'Its code says id "other-id" but package.json says "wrong-id".',
    );
    expect(problems['zz-duplicate']).toMatch(/Another plugin already uses the id "good"/);
    expect(problems['slow-setup']).toBe('Its setup did not finish within 0.2 s.');
    expect(problems['needs-config']).toBe('It needs configuration: region is required');
    expect(byDir.configured?.status).toBe('loaded');
    expect((globalThis as { __configuredWith?: unknown }).__configuredWith).toEqual({
      region: 'eu',
    });
    expect(problems['no-build']).toBe('Its server entry ./server.js is missing (was it built?).');
    expect(problems['ui-missing']).toBe(
      'Its UI was not built: ./dist/mf-manifest.json is missing.',
    );

    const registry = new PluginRegistry(hosted);
    const good = registry.require('good');
    const connector = registry.connector(good, 'api');
    expect(registry.step(connector, 'ping').kind).toBe('action');
    expect(() => registry.require('too-new')).toThrow(/could not be loaded: It needs @pmos\/sdk/);
    expect(() => registry.require('nope')).toThrow(
      expect.objectContaining({ code: 'plugin_not_found' }),
    );
    expect(() => registry.step(connector, 'nope')).toThrow(
      expect.objectContaining({ code: 'step_not_found' }),
    );
  });
});

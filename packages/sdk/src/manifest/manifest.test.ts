import { describe, expect, it } from 'vitest';
import { sdkVersion } from '../version.js';
import { isSdkCompatible, parsePluginManifest } from './manifest.js';

const valid = {
  name: '@acme/pmos-todos',
  pmos: {
    id: 'acme-todos',
    displayName: 'Acme To-dos',
    sdk: '^0.1.0',
    server: { entry: './dist/server.js' },
    ui: {
      manifest: './dist/ui/mf-manifest.json',
      panels: [{ slot: 'integrations.connector.settings', expose: './Settings' }],
    },
    permissions: { hosts: ['api.acme.example', '*.acme.example'] },
  },
};

describe('plugin manifest', () => {
  it('reads a valid manifest, with defaults', () => {
    const manifest = parsePluginManifest(valid);
    expect(manifest.id).toBe('acme-todos');
    expect(
      parsePluginManifest({ name: 'x', pmos: { ...valid.pmos, permissions: undefined } })
        .permissions,
    ).toEqual({ hosts: [] });
  });

  it('accepts "*" alone as a host: any public host', () => {
    const manifest = parsePluginManifest({
      name: '@acme/pmos-http',
      pmos: { ...valid.pmos, permissions: { hosts: ['*'] } },
    });
    expect(manifest.permissions.hosts).toEqual(['*']);
  });

  it.each([
    [{ id: 'Acme Todos' }, 'pmos.id must be 2–64 characters'],
    [{ sdk: 'latest please' }, 'pmos.sdk must be a semver range'],
    [{ server: { entry: '../outside.js' } }, 'pmos.server.entry must'],
    [{ server: { entry: '/abs/server.js' } }, 'pmos.server.entry must be a relative path'],
    [
      { permissions: { hosts: ['https://api.acme.example/v1'] } },
      'pmos.permissions.hosts.0 must be a host name',
    ],
    [{ permissions: { hosts: ['**'] } }, 'or * for any public host'],
    [{ permissions: { hosts: ['*:8080'] } }, 'pmos.permissions.hosts.0 must be a host name'],
    [
      { ui: { manifest: './mf.json', panels: [{ slot: 'sidebar', expose: './P' }] } },
      'pmos.ui.panels.0.slot must be one of',
    ],
    [{ server: undefined, ui: undefined }, 'must declare a server entry, a ui remote, or both'],
  ])('refuses %o, naming the field', (change, message) => {
    expect(() =>
      parsePluginManifest({ ...valid, pmos: { ...valid.pmos, ...change } }),
    ).toThrowError(
      expect.objectContaining({
        code: 'invalid_plugin_manifest',
        message: expect.stringContaining(message),
      }),
    );
  });

  it('refuses a package without a pmos block', () => {
    expect(() => parsePluginManifest({ name: 'left-pad' })).toThrowError(
      'Plugin left-pad has an invalid "pmos" manifest: package.json has no "pmos" block',
    );
  });

  it('checks the sdk range against this SDK', () => {
    expect(sdkVersion).toBe('0.1.0');
    expect(isSdkCompatible('^0.1.0')).toBe(true);
    expect(isSdkCompatible('>=0.1.0 <1')).toBe(true);
    expect(isSdkCompatible('^0.2.0')).toBe(false);
    expect(isSdkCompatible('^1.0.0')).toBe(false);
    expect(isSdkCompatible('^1.0.0', '1.4.2')).toBe(true);
  });
});

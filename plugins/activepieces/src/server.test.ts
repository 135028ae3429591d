import { isSdkCompatible, parsePluginManifest } from '@pmos/sdk/manifest';
import { configJsonSchema } from '@pmos/sdk/server';
import { describe, expect, it } from 'vitest';
import pkg from '../package.json' with { type: 'json' };
import { pieceHosts } from './network/piece-hosts.js';
import plugin, { catalog, installedPieces } from './server.js';

describe('the plugin definition', () => {
  it('matches its package.json manifest', () => {
    const manifest = parsePluginManifest(pkg);
    expect(plugin.id).toBe(manifest.id);
    expect(plugin.version).toBe(pkg.version);
    expect(plugin.permissions).toEqual(manifest.permissions);
    expect(isSdkCompatible(manifest.sdk)).toBe(true);
  });

  it('offers every installed piece by default, each as one connector', () => {
    expect(installedPieces).toEqual({
      '@activepieces/piece-data-mapper': '0.3.15',
      '@activepieces/piece-delay': '0.3.26',
      '@activepieces/piece-store': '0.6.20',
      '@activepieces/piece-todoist': '0.3.1',
    });
    expect(catalog.refused).toEqual([]);
    expect(
      catalog.offered.map((p) => [p.packageName, p.version, p.connectorId, p.leftOut]),
    ).toEqual([
      ['@activepieces/piece-data-mapper', '0.3.15', 'data-mapper', []],
      ['@activepieces/piece-delay', '0.3.26', 'delay', []],
      ['@activepieces/piece-store', '0.6.20', 'store', []],
      ['@activepieces/piece-todoist', '0.3.1', 'todoist', []],
    ]);
    expect(plugin.contributes.connectors?.map((c) => c.id)).toEqual([
      'data-mapper',
      'delay',
      'store',
      'todoist',
      'activepieces-instance',
    ]);
    expect(plugin.contributes.flowSyncs?.map((s) => [s.id, s.connector])).toEqual([
      ['activepieces', 'activepieces-instance'],
    ]);
  });

  it('lets the piece code reach only hosts the manifest declares, and knows every piece’s hosts', () => {
    for (const name of Object.keys(installedPieces)) expect(pieceHosts[name], name).toBeDefined();
    // "*": the Activepieces instance of flow sync, whose URL the admin chooses.
    const needed = new Set([...Object.values(pieceHosts).flat(), '*']);
    expect(new Set(pkg.pmos.permissions.hosts)).toEqual(needed);
  });

  it('describes the admin setting (pieces by npm name and exact version) as JSON Schema', () => {
    const schema = configJsonSchema(plugin as never) as { properties: Record<string, unknown> };
    expect(schema.properties.pieces).toMatchObject({ type: 'array' });
  });
});

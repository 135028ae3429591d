import { isSdkCompatible, parsePluginManifest } from '@pmos/sdk/manifest';
import { describe, expect, it } from 'vitest';
import pkg from '../package.json' with { type: 'json' };
import plugin, { core } from './server.js';

describe('the Core plugin', () => {
  it('matches its package.json manifest', () => {
    const manifest = parsePluginManifest(pkg);
    expect(manifest.id).toBe('core');
    expect(manifest.displayName).toBe('Core');
    expect(manifest.permissions.hosts).toEqual(['*']);
    expect(manifest.server?.entry).toBe('./dist/server.js');
    expect(isSdkCompatible(manifest.sdk)).toBe(true);
    expect(plugin.id).toBe(manifest.id);
    expect(plugin.version).toBe(pkg.version);
    expect(plugin.sdk).toBe(manifest.sdk);
    expect(plugin.displayName).toBe(manifest.displayName);
    expect(plugin.permissions).toEqual(manifest.permissions);
  });

  it('contributes one connector without auth, its steps with honest risks', () => {
    expect(plugin.contributes.connectors?.map((c) => c.id)).toEqual(['core']);
    expect(core.auth).toEqual({ kind: 'none' });
    expect(core.actions.map((a) => [a.id, a.risk])).toEqual([
      ['http_request', 'write'],
      ['data_mapper', 'read'],
      ['delay', 'read'],
      ['webhook_response', 'read'],
    ]);
    expect(core.triggers?.map((t) => [t.id, t.strategy])).toEqual([
      ['manual', 'manual'],
      ['webhook', 'webhook'],
      ['schedule', 'schedule'],
    ]);
  });

  it('describes every step and shows a sample of its output', () => {
    for (const step of [...core.actions, ...(core.triggers ?? [])]) {
      expect(step.displayName.length, step.id).toBeGreaterThan(2);
      expect(step.description.length, step.id).toBeGreaterThan(30);
      expect(step.sampleOutput, step.id).toBeDefined();
    }
  });
});

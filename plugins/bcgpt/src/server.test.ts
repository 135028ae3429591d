import { isSdkCompatible, parsePluginManifest } from '@pmos/sdk/manifest';
import { describe, expect, it } from 'vitest';
import pkg from '../package.json' with { type: 'json' };
import plugin, { bcgpt } from './server.js';

describe('the plugin definition', () => {
  it('matches its package.json manifest', () => {
    const manifest = parsePluginManifest(pkg);
    expect(manifest).toMatchObject({
      id: 'bcgpt',
      displayName: 'Basecamp (BCGPT)',
      enabledByDefault: false,
      server: { entry: './dist/server.js' },
      permissions: { hosts: ['bcgpt.wickedlab.io', '*'] },
    });
    expect(plugin.id).toBe(manifest.id);
    expect(plugin.version).toBe(pkg.version);
    expect(plugin.sdk).toBe(manifest.sdk);
    expect(plugin.displayName).toBe(manifest.displayName);
    expect(plugin.permissions).toEqual(manifest.permissions);
    expect(plugin.contributes.panels).toEqual(manifest.ui?.panels);
    expect(isSdkCompatible(manifest.sdk)).toBe(true);
    expect(plugin.contributes.connectors?.map((c) => c.id)).toEqual(['bcgpt']);
  });

  it('declares the risk of every action: reads, writes, trash and the generic call', () => {
    expect(Object.fromEntries(bcgpt.actions.map((a) => [a.id, a.risk]))).toEqual({
      list_projects: 'read',
      find_project: 'read',
      list_todolists: 'read',
      list_todos: 'read',
      list_todos_due: 'read',
      list_assigned_to_me: 'read',
      get_todo: 'read',
      create_todo: 'write',
      update_todo: 'write',
      complete_todo: 'write',
      uncomplete_todo: 'write',
      move_todo: 'write',
      trash_todo: 'destructive',
      list_messages: 'read',
      create_message: 'write',
      list_comments: 'read',
      create_comment: 'write',
      list_people: 'read',
      search: 'read',
      call_tool: 'destructive',
    });
    expect(bcgpt.triggers?.map((t) => [t.id, t.strategy])).toEqual([['todo_activity', 'polling']]);
  });

  it('gives every action and prop words for a person, and a sample output', () => {
    for (const action of bcgpt.actions) {
      expect(action.displayName.length, action.id).toBeGreaterThan(3);
      expect(action.description.length, action.id).toBeGreaterThan(10);
      expect(action.sampleOutput, action.id).toBeDefined();
      for (const [name, p] of Object.entries(action.props)) {
        expect((p as { displayName: string }).displayName, `${action.id}.${name}`).toBeTruthy();
      }
    }
  });

  it('asks for the BCGPT address and API key', () => {
    expect(bcgpt.auth).toMatchObject({
      kind: 'custom',
      props: {
        baseUrl: {
          kind: 'short_text',
          required: false,
          description: expect.stringContaining('https://bcgpt.wickedlab.io'),
        },
        apiKey: { kind: 'short_text', required: true },
      },
    });
  });
});

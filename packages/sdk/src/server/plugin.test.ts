import { describe, expect, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import { auth } from './auth.js';
import { defineAction, defineConnector } from './define.js';
import { configJsonSchema, definePlugin } from './plugin.js';

const todos = defineConnector({
  id: 'todos',
  displayName: 'To-dos',
  auth: auth.secretText({ displayName: 'API key' }),
  actions: [
    defineAction({
      id: 'list',
      displayName: 'List to-dos',
      description: 'Lists open to-dos.',
      risk: 'read',
      props: {},
      async run() {
        return [];
      },
    }),
  ],
});

const plugin = {
  id: 'acme-todos',
  version: '1.2.0',
  sdk: '^0.1.0',
  displayName: 'Acme To-dos',
  contributes: {
    connectors: [todos],
    panels: [{ slot: 'integrations.connector.settings' as const, expose: './Settings' }],
  },
  permissions: { hosts: ['api.acme.example'] },
};

describe('definePlugin', () => {
  it('accepts a complete plugin and types setup with its config', () => {
    const defined = definePlugin({
      ...plugin,
      configSchema: z.object({ region: z.enum(['eu', 'us']).default('eu') }),
      setup(ctx) {
        expectTypeOf(ctx.config.region).toEqualTypeOf<'eu' | 'us'>();
      },
    });
    expect(defined.id).toBe('acme-todos');
    expect(configJsonSchema(defined as never)).toMatchObject({
      type: 'object',
      properties: { region: { enum: ['eu', 'us'], default: 'eu' } },
    });
  });

  it('accepts "*" as its hosts: any public host', () => {
    expect(definePlugin({ ...plugin, permissions: { hosts: ['*'] } }).permissions).toEqual({
      hosts: ['*'],
    });
  });

  it.each([
    [{ id: 'Acme' }, 'id must be 2–64 characters'],
    [{ version: 'v1' }, 'version must be a semver version'],
    [{ sdk: 'newest' }, 'sdk must be a semver range'],
    [{ permissions: { hosts: ['http://x.example'] } }, 'permissions.hosts.0 must be a host name'],
    [
      { contributes: { panels: [{ slot: 'nowhere', expose: './P' }] } },
      'contributes.panels.0.slot must be one of',
    ],
    [
      { contributes: { connectors: [todos, todos] } },
      'duplicate connector or AI provider id: todos',
    ],
    [{ contributes: {} }, 'contributes nothing'],
  ])('refuses %o', (change, message) => {
    expect(() => definePlugin({ ...plugin, ...(change as object) } as typeof plugin)).toThrowError(
      expect.objectContaining({
        code: 'invalid_plugin_definition',
        message: expect.stringContaining(message),
      }),
    );
  });
});

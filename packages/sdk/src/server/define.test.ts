import { describe, expect, expectTypeOf, it } from 'vitest';
import { auth } from './auth.js';
import { defineAction, defineConnector, defineTrigger } from './define.js';
import { prop } from './props.js';

const apiKey = auth.secretText({ displayName: 'API key' });

const createTodo = defineAction({
  id: 'create_todo',
  displayName: 'Create to-do',
  description: 'Adds a to-do to a list.',
  risk: 'write',
  auth: apiKey,
  props: {
    list: prop.shortText({ displayName: 'List', required: true }),
    due: prop.dateTime({ displayName: 'Due' }),
  },
  async run(ctx) {
    expectTypeOf(ctx.auth).toEqualTypeOf<string>();
    expectTypeOf(ctx.props.list).toEqualTypeOf<string>();
    expectTypeOf(ctx.props.due).toEqualTypeOf<string | undefined>();
    return { id: 1, list: ctx.props.list };
  },
});

describe('defineAction', () => {
  it('returns the action, typed from its auth and props', () => {
    expect(createTodo.id).toBe('create_todo');
    expect(createTodo.risk).toBe('write');
  });

  it('types ctx.auth for every auth kind', () => {
    defineAction({
      id: 'basic',
      displayName: 'Basic',
      description: 'x',
      risk: 'read',
      auth: auth.basic({
        username: { displayName: 'User' },
        password: { displayName: 'Password' },
      }),
      props: {},
      async run(ctx) {
        expectTypeOf(ctx.auth).toEqualTypeOf<{ username: string; password: string }>();
      },
    });
    defineAction({
      id: 'oauth',
      displayName: 'OAuth',
      description: 'x',
      risk: 'read',
      auth: auth.oauth2({
        authUrl: 'https://example.com/authorize',
        tokenUrl: 'https://example.com/token',
        scopes: ['read'],
        props: { subdomain: prop.shortText({ displayName: 'Subdomain', required: true }) },
      }),
      props: {},
      async run(ctx) {
        expectTypeOf(ctx.auth.accessToken).toEqualTypeOf<string>();
        expectTypeOf(ctx.auth.props.subdomain).toEqualTypeOf<string>();
      },
    });
    defineAction({
      id: 'custom',
      displayName: 'Custom',
      description: 'x',
      risk: 'read',
      auth: auth.custom({
        props: {
          region: prop.staticDropdown({
            displayName: 'Region',
            required: true,
            options: { options: [{ label: 'EU', value: 'eu' }] },
          }),
        },
      }),
      props: {},
      async run(ctx) {
        expectTypeOf(ctx.auth.region).toEqualTypeOf<'eu'>();
      },
    });
  });

  it.each([
    [{ id: 'Create Todo' }, 'id must start with a letter'],
    [{ risk: 'dangerous' }, 'risk must be read, write or destructive'],
    [{ displayName: ' ' }, 'displayName must not be empty'],
    [{ run: 'not a function' }, 'run must be a function'],
    [{ riskOf: 'read' }, 'riskOf must be a function'],
    [{ remoteTool: 'tool' }, 'remoteTool must be a function'],
  ])('refuses %o with a message naming the field', (change, message) => {
    expect(() =>
      defineAction({ ...createTodo, ...(change as object) } as typeof createTodo),
    ).toThrowError(
      expect.objectContaining({
        code: 'invalid_plugin_definition',
        message: expect.stringContaining(message),
      }),
    );
  });
});

describe('defineTrigger and defineConnector', () => {
  const newTodo = defineTrigger({
    id: 'new_todo',
    displayName: 'New to-do',
    description: 'When a to-do is created.',
    strategy: 'polling',
    auth: apiKey,
    props: {},
    async run(ctx) {
      const last = (await ctx.store.get<number>('cursor')) ?? 0;
      return [{ id: last + 1 }];
    },
  });

  it('groups actions and triggers under one auth', () => {
    const connector = defineConnector({
      id: 'todos',
      displayName: 'To-dos',
      auth: apiKey,
      actions: [createTodo],
      triggers: [newTodo],
      async healthCheck({ auth: key }) {
        return { ok: key.length > 0, message: 'Connected' };
      },
    });
    expect(connector.actions.map((a) => a.id)).toEqual(['create_todo']);
  });

  it('refuses duplicate ids and unknown strategies', () => {
    expect(() =>
      defineConnector({
        id: 'todos',
        displayName: 'To-dos',
        auth: apiKey,
        actions: [createTodo, createTodo],
      }),
    ).toThrowError(/duplicate action or trigger id: create_todo/);
    expect(() => defineTrigger({ ...newTodo, strategy: 'push' as 'polling' })).toThrowError(
      /strategy must be webhook, polling, schedule or manual/,
    );
  });

  it('asks a connector whose actions run remote tools to list them', () => {
    const callTool = defineAction({
      id: 'call_tool',
      displayName: 'Call tool',
      description: 'Runs one tool of the server.',
      risk: 'destructive',
      auth: apiKey,
      props: { tool: prop.shortText({ displayName: 'Tool', required: true }) },
      remoteTool: (props) => props.tool,
      async run(ctx) {
        return { ran: ctx.props.tool };
      },
    });
    expect(() =>
      defineConnector({ id: 'tools', displayName: 'Tools', auth: apiKey, actions: [callTool] }),
    ).toThrowError(/listRemoteTools is required: the actions call_tool run remote tools/);
    const connector = defineConnector({
      id: 'tools',
      displayName: 'Tools',
      auth: apiKey,
      actions: [callTool],
      async listRemoteTools() {
        return [{ name: 'weather', risk: 'read' }];
      },
    });
    expect(connector.actions[0]?.remoteTool?.({ tool: 'weather' })).toBe('weather');
    expect(() =>
      defineConnector({
        id: 'tools',
        displayName: 'Tools',
        auth: apiKey,
        actions: [],
        listRemoteTools: 'all' as never,
      }),
    ).toThrowError(/listRemoteTools must be a function/);
  });
});

describe('defineTrigger strategies', () => {
  const base = {
    id: 'tick',
    displayName: 'Tick',
    description: 'Fires on a schedule.',
    props: { cron: prop.shortText({ displayName: 'Cron', required: true }) },
    async run() {
      return [{ at: 'now' }];
    },
  };

  it('accepts a schedule trigger that says when it fires, typed from its props', () => {
    const tick = defineTrigger({
      ...base,
      strategy: 'schedule',
      schedule(props) {
        expectTypeOf(props.cron).toEqualTypeOf<string>();
        return { cron: props.cron, timezone: 'UTC' };
      },
    });
    expect(tick.schedule?.({ cron: '0 9 * * 1' })).toEqual({ cron: '0 9 * * 1', timezone: 'UTC' });
  });

  it('accepts a polling interval and a dedupe key', () => {
    const poll = defineTrigger({
      ...base,
      strategy: 'polling',
      pollingIntervalMinutes: 1,
      dedupeKey: (event) => event.at,
    });
    expect(poll.pollingIntervalMinutes).toBe(1);
    expect(poll.dedupeKey?.({ at: 'x' })).toBe('x');
  });

  it.each([
    [
      { strategy: 'schedule' },
      'trigger "tick" is not a valid definition: schedule is required for strategy "schedule": a function of the props returning { cron, timezone }',
    ],
    [
      { strategy: 'schedule', schedule: '0 * * * *' },
      'schedule must be a function returning { cron, timezone }',
    ],
    [
      { strategy: 'webhook', schedule: () => ({ cron: '* * * * *', timezone: 'UTC' }) },
      'schedule is only for strategy "schedule" (this trigger is "webhook")',
    ],
    [
      { strategy: 'polling', pollingIntervalMinutes: 0 },
      'pollingIntervalMinutes must be a whole number of minutes, at least 1',
    ],
    [
      { strategy: 'polling', pollingIntervalMinutes: 2.5 },
      'pollingIntervalMinutes must be a whole number of minutes, at least 1',
    ],
    [
      { strategy: 'polling', pollingIntervalMinutes: '5' },
      'pollingIntervalMinutes must be a whole number of minutes, at least 1',
    ],
    [
      { strategy: 'manual', pollingIntervalMinutes: 5 },
      'pollingIntervalMinutes is only for strategy "polling" (this trigger is "manual")',
    ],
    [
      { strategy: 'webhook', dedupeKey: 'id' },
      'dedupeKey must be a function returning a string key for an event',
    ],
    [
      { strategy: 'polling', test: [{ id: 1 }] },
      'test must be a function returning a list of recent events',
    ],
    [
      { strategy: 'polling', rawBody: true },
      'rawBody is only for strategy "webhook" (this trigger is "polling")',
    ],
    [{ strategy: 'webhook', rawBody: 'yes' }, 'rawBody must be true or false'],
  ])('refuses %o with a precise message', (change, message) => {
    expect(() => defineTrigger({ ...base, ...change } as never)).toThrowError(
      expect.objectContaining({
        code: 'invalid_plugin_definition',
        message: expect.stringContaining(message),
      }),
    );
  });

  it('names the cross-field problem alongside a field problem', () => {
    expect(() =>
      defineTrigger({ ...base, id: 'Bad Id', strategy: 'schedule' } as never),
    ).toThrowError(/id must start with a letter/);
  });
});

import { runHealthCheck } from '@pmos/sdk/testing';
import { describe, expect, it } from 'vitest';
import { buildCatalog } from '../pieces/catalog.js';
import { asInstalled, framework } from '../testing/synthetic-pieces.js';
import { pieceToConnector } from './connector.js';
import { riskOf } from './risk.js';

const { createPiece, createAction, createTrigger, Property, PieceAuth, TriggerStrategy } =
  framework;

const noop = createAction({
  name: 'noop',
  displayName: 'Noop',
  description: 'Nothing',
  props: {},
  run: async () => ({}),
});
const pieceWith = (fields: Record<string, unknown>) =>
  createPiece({
    displayName: 'Synthetic',
    logoUrl: 'x',
    authors: [],
    actions: [noop],
    triggers: [],
    ...fields,
  });

describe('piece auth as SDK auth kinds', () => {
  it('maps secret text, basic, custom (secret fields kept) and OAuth2 (Activepieces defaults)', () => {
    const kinds = [
      PieceAuth.SecretText({
        displayName: 'API key',
        description: 'From settings',
        required: true,
      }),
      PieceAuth.BasicAuth({
        displayName: 'Login',
        required: true,
        username: { displayName: 'User' },
        password: { displayName: 'Pass' },
      }),
      PieceAuth.CustomAuth({
        displayName: 'Account',
        required: true,
        props: {
          base_url: Property.ShortText({ displayName: 'Base URL', required: true }),
          token: PieceAuth.SecretText({ displayName: 'Token', required: true }),
        },
      }),
      PieceAuth.OAuth2({
        required: true,
        authUrl: 'https://{region}.example.org/authorize',
        tokenUrl: 'https://{region}.example.org/token',
        scope: ['read', 'write'],
        props: {
          region: Property.StaticDropdown({
            displayName: 'Region',
            required: true,
            options: { options: [{ label: 'EU', value: 'eu' }] },
          }),
        },
      }),
    ];
    const mapped = kinds.map(
      (auth) => pieceToConnector(asInstalled(pieceWith({ auth })), { hosts: [] }).connector.auth,
    );
    expect(mapped).toEqual([
      { kind: 'secret_text', displayName: 'API key', description: 'From settings' },
      { kind: 'basic', username: { displayName: 'User' }, password: { displayName: 'Pass' } },
      {
        kind: 'custom',
        props: {
          base_url: { kind: 'short_text', displayName: 'Base URL', required: true },
          token: { kind: 'short_text', displayName: 'Token', required: true, secret: true },
        },
      },
      {
        kind: 'oauth2',
        authUrl: 'https://{region}.example.org/authorize',
        tokenUrl: 'https://{region}.example.org/token',
        scopes: ['read', 'write'],
        grantType: 'authorization_code',
        pkce: false,
        authorizationMethod: 'body',
        props: {
          region: {
            kind: 'static_dropdown',
            displayName: 'Region',
            required: true,
            options: { options: [{ label: 'EU', value: 'eu' }] },
          },
        },
      },
    ]);
    expect(pieceToConnector(asInstalled(pieceWith({})), { hosts: [] }).connector.auth).toEqual({
      kind: 'none',
    });
  });

  it('offers the first supported kind of a multi-auth piece and says which it leaves out', () => {
    const result = pieceToConnector(
      asInstalled(
        pieceWith({
          auth: [
            PieceAuth.OAuth2({
              required: true,
              authUrl: 'https://a.example/auth',
              tokenUrl: 'https://a.example/token',
              scope: [],
            }),
            PieceAuth.CustomAuth({ required: true, props: {} }),
          ],
        }),
      ),
      { hosts: [] },
    );
    expect(result.connector.auth.kind).toBe('oauth2');
    expect(result.leftOut).toEqual([
      'Synthetic also signs in with CUSTOM_AUTH; PMOS offers its OAUTH2 sign-in only.',
    ]);
  });

  it('refuses a piece whose only sign-in is OIDC, naming it', () => {
    const catalog = buildCatalog(
      [{ packageName: '@activepieces/piece-synthetic', version: '1.0.0' }],
      () => asInstalled(pieceWith({ auth: { type: 'OIDC', displayName: 'SSO', required: true } })),
    );
    expect(catalog.refused).toEqual([
      {
        packageName: '@activepieces/piece-synthetic',
        version: '1.0.0',
        reason: 'Synthetic signs in with OIDC, which PMOS connections do not offer yet.',
      },
    ]);
  });

  it('turns a piece’s auth validation into the connection health check', async () => {
    const auth = PieceAuth.SecretText({
      displayName: 'API key',
      required: true,
      validate: async ({ auth }: { auth: { secret_text: string } }) =>
        auth.secret_text === 'good'
          ? { valid: true }
          : { valid: false, error: 'That key was revoked.' },
    });
    const { connector } = pieceToConnector(asInstalled(pieceWith({ auth })), { hosts: [] });
    expect((await runHealthCheck(connector, { auth: 'good' })).report).toEqual({
      ok: true,
      message: 'Synthetic accepted the connection.',
    });
    expect((await runHealthCheck(connector, { auth: 'bad' })).report).toEqual({
      ok: false,
      message: 'That key was revoked.',
    });
  });
});

describe('risk of an action', () => {
  it('reads lookups as read, deletes as destructive, anything else as write', () => {
    const risks = Object.fromEntries(
      [
        ['get_task', 'Get Task', 'Gets a task'],
        ['list_projects', 'List Projects', ''],
        ['findRecord', 'Find Record', 'Finds one record'],
        ['search_issues', 'Search', ''],
        ['create_task', 'Create Task', 'Create task'],
        ['update_row', 'Update Row', ''],
        ['send_message', 'Send Message', ''],
        ['delete_file', 'Delete File', ''],
        ['remove_value', 'Remove', 'Remove a value from storage'],
        ['archiveCard', 'Archive Card', ''],
        ['get_and_clear', 'Get then clear', 'Reads a value, then deletes it'],
      ].map(([name, displayName, description]) => [
        name,
        riskOf({ name: name ?? '', displayName, description }),
      ]),
    );
    expect(risks).toEqual({
      get_task: 'read',
      list_projects: 'read',
      findRecord: 'read',
      search_issues: 'read',
      create_task: 'write',
      update_row: 'write',
      send_message: 'write',
      delete_file: 'destructive',
      remove_value: 'destructive',
      archiveCard: 'destructive',
      get_and_clear: 'destructive',
    });
  });
});

describe('compatibility', () => {
  const refusedFor = (fields: Record<string, unknown>, frameworkVersion = '0.32.0') =>
    buildCatalog([{ packageName: '@activepieces/piece-synthetic', version: '1.0.0' }], () => ({
      ...asInstalled({ ...pieceWith({}), ...fields }),
      frameworkVersion,
    })).refused.map((r) => r.reason);

  it('refuses a piece that needs a later Activepieces release than PMOS emulates', () => {
    expect(refusedFor({ minimumSupportedRelease: '0.86.4' })).toEqual([
      'Synthetic (@activepieces/piece-synthetic@1.0.0) needs Activepieces 0.86.4 or later; PMOS runs pieces as Activepieces 0.82.0.',
    ]);
  });

  it('refuses one that stops before the emulated release, a newer context or framework', () => {
    expect(refusedFor({ maximumSupportedRelease: '0.70.0' })[0]).toMatch(
      /works up to Activepieces 0.70.0 only/,
    );
    expect(refusedFor({ getContextInfo: () => ({ version: '3' }) })[0]).toMatch(
      /run context version 3, newer than PMOS builds/,
    );
    expect(refusedFor({}, '0.33.1')[0]).toMatch(
      /pieces-framework 0.33.1, newer than this adapter knows \(0.32.0\)/,
    );
    expect(refusedFor({}, '0.32.4')).toEqual([]);
    expect(refusedFor({ minimumSupportedRelease: 'latest' })[0]).toMatch(
      /unreadable minimum release "latest"/,
    );
  });
});

describe('triggers', () => {
  it('maps polling, webhook and manual triggers, and leaves app webhooks out with the reason', () => {
    const trigger = (name: string, type: string, extra: Record<string, unknown> = {}) =>
      createTrigger({
        name,
        displayName: name,
        description: `${name} trigger`,
        props: {},
        type,
        sampleData: {},
        run: async () => [],
        onEnable: async () => {},
        onDisable: async () => {},
        ...extra,
      });
    const { connector, leftOut } = pieceToConnector(
      asInstalled(
        pieceWith({
          triggers: [
            trigger('newRow', TriggerStrategy.POLLING),
            trigger('on_event', TriggerStrategy.WEBHOOK),
            trigger('handshaking', TriggerStrategy.WEBHOOK, {
              handshakeConfiguration: { strategy: 'HEADER_PRESENT', paramName: 'x' },
            }),
            trigger('by_hand', TriggerStrategy.MANUAL),
            trigger('app_event', TriggerStrategy.APP_WEBHOOK),
          ],
        }),
      ),
      { hosts: [] },
    );
    expect(connector.triggers?.map((t) => [t.id, t.strategy, t.pollingIntervalMinutes])).toEqual([
      ['new_row', 'polling', 5],
      ['on_event', 'webhook', undefined],
      ['by_hand', 'manual', undefined],
    ]);
    expect(leftOut).toEqual([
      'Synthetic › handshaking needs webhook handshakes (handshakeConfiguration), which PMOS does not offer yet.',
      'Synthetic › app_event needs app webhooks routed through the piece (APP_WEBHOOK triggers), which PMOS does not offer yet.',
    ]);
  });
});

describe("a trigger's test (Load a real event)", () => {
  const pieceTrigger = (fields: Record<string, unknown>) =>
    createTrigger({
      name: 'new_item',
      displayName: 'New Item',
      description: 'An item is added',
      props: { list: Property.ShortText({ displayName: 'List', required: true }) },
      sampleData: { id: 0, title: 'Sample' },
      onEnable: async () => {},
      onDisable: async () => {},
      run: async () => [],
      ...fields,
    });
  const pmosTrigger = (piece: unknown) => {
    const { connector } = pieceToConnector(asInstalled(pieceWith({ triggers: [piece] })), {
      hosts: [],
    });
    const trigger = connector.triggers?.[0];
    if (!trigger) throw new Error('no trigger');
    return trigger;
  };
  /** Calls the PMOS trigger's test the way the host does: a fresh store, the flow's trigger. */
  const loadEvents = async (trigger: ReturnType<typeof pmosTrigger>) => {
    const { createTestContext } = await import('@pmos/sdk/testing');
    const { ctx, store } = createTestContext(trigger.props, {
      props: { list: 'inbox' },
      run: { flowId: 'flow_1', stepName: 'trigger' },
    });
    if (!trigger.test) throw new Error('no test');
    return { events: await trigger.test(ctx), store };
  };

  it("maps the piece's test: its recent events, with the hook context run gets", async () => {
    const trigger = pmosTrigger(
      pieceTrigger({
        type: TriggerStrategy.POLLING,
        test: async (ctx: { propsValue: { list: string }; flows: { current: { id: string } } }) => [
          { id: 2, list: ctx.propsValue.list, flow: ctx.flows.current.id },
          { id: 1, list: ctx.propsValue.list, flow: ctx.flows.current.id },
        ],
      }),
    );
    const { events, store } = await loadEvents(trigger);
    expect(events).toEqual([
      { id: 2, list: 'inbox', flow: 'flow_1' },
      { id: 1, list: 'inbox', flow: 'flow_1' },
    ]);
    // Unlike a first poll, a test does not enable the trigger.
    expect(store.dump()).toEqual({});
  });

  it("maps a webhook trigger's own test too, and refuses an answer that is not a list", async () => {
    const trigger = pmosTrigger(
      pieceTrigger({ type: TriggerStrategy.WEBHOOK, test: async () => ({ id: 1 }) }),
    );
    await expect(loadEvents(trigger)).rejects.toMatchObject({
      name: 'ActivepiecesError',
      code: 'piece_unreadable',
      message: 'Synthetic › New Item did not return a list of events.',
    });
  });

  it('adds no test when the piece has none, so PMOS falls back to run', () => {
    // A trigger read by its runtime shape, without test (as a hand-built piece may be).
    const { test: _, ...bare } = pieceTrigger({ type: TriggerStrategy.POLLING });
    expect(pmosTrigger(bare).test).toBeUndefined();
    // Without a test of its own, createTrigger fills in one returning [sampleData] and marks a
    // webhook trigger SIMULATION: Activepieces waits for a real delivery instead of calling it.
    const webhook = pieceTrigger({ type: TriggerStrategy.WEBHOOK });
    expect(webhook.test).toBeTypeOf('function');
    expect(pmosTrigger(webhook).test).toBeUndefined();
  });

  it("keeps the framework's [sampleData] test of a polling trigger, as Activepieces calls it", async () => {
    const trigger = pmosTrigger(pieceTrigger({ type: TriggerStrategy.POLLING }));
    expect((await loadEvents(trigger)).events).toEqual([{ id: 0, title: 'Sample' }]);
  });
});

describe('a webhook trigger', () => {
  it('gets the PMOS delivery as Activepieces’ TriggerPayload, and its webhook URL when enabled', async () => {
    const { runTrigger } = await import('@pmos/sdk/testing');
    const seen: unknown[] = [];
    const hook = createTrigger({
      name: 'new_event',
      displayName: 'New Event',
      description: 'An event arrives',
      props: {},
      type: TriggerStrategy.WEBHOOK,
      sampleData: {},
      onEnable: async (ctx: { webhookUrl: string }) => void seen.push(ctx.webhookUrl),
      onDisable: async () => {},
      run: async (ctx: { payload: { body: unknown; queryParams: unknown; rawBody?: unknown } }) => [
        { got: ctx.payload.body, query: ctx.payload.queryParams, raw: ctx.payload.rawBody },
      ],
    });
    const { connector } = pieceToConnector(asInstalled(pieceWith({ triggers: [hook] })), {
      hosts: [],
    });
    const trigger = connector.triggers?.[0];
    if (!trigger) throw new Error('no trigger');
    const { events } = await runTrigger(trigger, {
      payload: {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        query: { a: '1' },
        body: { id: 7 },
        rawBody: '{"id": 7}',
      },
    });
    // The exact body is kept for it (PMOS stores it when the trigger says rawBody).
    expect(trigger.rawBody).toBe(true);
    expect(events).toEqual([{ got: { id: 7 }, query: { a: '1' }, raw: '{"id": 7}' }]);
    const { createTestContext } = await import('@pmos/sdk/testing');
    const { ctx } = createTestContext(trigger.props);
    await trigger.onEnable?.({ ...ctx, webhookUrl: 'https://pmos.example/hooks/f1/s1' } as never);
    expect(seen).toEqual(['https://pmos.example/hooks/f1/s1']);
  });
});

// A fixture plugin for the host's HTTP tests: plain JavaScript on the public SDK only.
import {
  auth,
  defineAction,
  defineAiProvider,
  defineConnector,
  definePlugin,
  defineTrigger,
  prop,
} from '@pmos/sdk/server';

const api = 'https://tasks.acme.test/v1';
const get = async (ctx, path) => {
  const res = await ctx.http(`${api}${path}`, {
    headers: { authorization: `Bearer ${ctx.auth}` },
    signal: ctx.signal,
  });
  if (!res.ok) throw new Error(`Acme answered ${res.status} for ${path}`);
  return res.json();
};

const project = prop.dropdown({
  displayName: 'Project',
  required: true,
  refreshers: [],
  options: async (ctx) => ({
    options: (await get(ctx, '/projects')).map((p) => ({ label: p.name, value: p.id })),
  }),
});

const list = prop.dropdown({
  displayName: 'List',
  required: true,
  refreshers: ['project'],
  options: async (ctx) =>
    ctx.props.project
      ? {
          options: (await get(ctx, `/projects/${ctx.props.project}/lists`)).map((l) => ({
            label: l.name,
            value: l.id,
          })),
        }
      : { options: [], disabled: true, placeholder: 'Choose a project first' },
});

const elsewhere = prop.dropdown({
  displayName: 'Somewhere undeclared',
  required: false,
  refreshers: [],
  options: async (ctx) => {
    await ctx.http('https://evil.test/steal');
    return { options: [] };
  },
});

// A plugin bug: options in the wrong shape.
const garbled = prop.dropdown({
  displayName: 'Garbled',
  required: false,
  refreshers: [],
  options: async () => ({ options: 'not a list' }),
});

const createTask = defineAction({
  id: 'create_task',
  displayName: 'Create task',
  description: 'Adds a task to a list.',
  risk: 'write',
  props: {
    project,
    list,
    title: prop.shortText({ displayName: 'Title', required: true }),
    elsewhere,
    garbled,
  },
  async run(ctx) {
    return { id: 't1', title: ctx.props.title };
  },
});

export default definePlugin({
  id: 'acme-tasks',
  version: '1.0.0',
  sdk: '^0.1.0',
  displayName: 'Acme Tasks',
  contributes: {
    connectors: [
      defineConnector({
        id: 'acme',
        displayName: 'Acme Tasks',
        auth: auth.secretText({ displayName: 'API key' }),
        async healthCheck(ctx) {
          const res = await ctx.http(`${api}/me`, {
            headers: { authorization: `Bearer ${ctx.auth}` },
          });
          if (res.status === 401) return { ok: false, message: 'Acme refused this API key.' };
          const me = await res.json();
          return { ok: true, message: `Connected as ${me.name}` };
        },
        actions: [
          createTask,
          defineAction({
            id: 'archive_task',
            displayName: 'Archive task',
            description: 'Archives a task (always refused by the fake Acme).',
            risk: 'destructive',
            props: { taskId: prop.shortText({ displayName: 'Task', required: true }) },
            async run(ctx) {
              // A careless plugin putting the key in its error: PMOS must mask it.
              throw new Error(`Acme refused to archive ${ctx.props.taskId} with key ${ctx.auth}`);
            },
          }),
          defineAction({
            id: 'touch_task',
            displayName: 'Touch task',
            description: 'Marks a task as seen; with dryRun it only says what it would do.',
            risk: 'write',
            // Its risk depends on its inputs: a dry run only reads.
            riskOf: (props) => (props.dryRun ? 'read' : 'write'),
            props: {
              taskId: prop.shortText({ displayName: 'Task', required: true }),
              dryRun: prop.checkbox({ displayName: 'Dry run', required: false }),
            },
            async run(ctx) {
              return { taskId: ctx.props.taskId, touched: !ctx.props.dryRun };
            },
          }),
        ],
        triggers: [
          defineTrigger({
            id: 'new_task',
            displayName: 'New task',
            description: 'Fires for each new task.',
            strategy: 'polling',
            props: {},
            async run() {
              return [];
            },
          }),
        ],
      }),
      defineConnector({
        id: 'acme-oauth',
        displayName: 'Acme Tasks (sign in)',
        auth: auth.oauth2({
          authUrl: 'https://auth.acme.test/{region}/authorize',
          tokenUrl: 'https://auth.acme.test/{region}/token',
          scopes: ['tasks:read', 'tasks:write'],
          props: {
            region: prop.staticDropdown({
              displayName: 'Region',
              required: true,
              options: { options: [{ label: 'Europe', value: 'eu' }] },
            }),
          },
        }),
        async healthCheck(ctx) {
          const res = await ctx.http(`${api}/me`, {
            headers: { authorization: `Bearer ${ctx.auth.accessToken}` },
          });
          if (res.status === 401) return { ok: false, message: 'Acme refused the token.' };
          const me = await res.json();
          return { ok: true, message: `Signed in as ${me.name} (${ctx.auth.props.region})` };
        },
        actions: [],
      }),
    ],
    aiProviders: [
      defineAiProvider({
        id: 'acme-ai',
        displayName: 'Acme AI',
        auth: auth.secretText({ displayName: 'API key' }),
        // The OpenAI-compatible list: {object: 'list', data: [{id, object: 'model', …}]}.
        async listModels(ctx) {
          const res = await ctx.http('https://tasks.acme.test/v1/models', {
            headers: { authorization: `Bearer ${ctx.auth}` },
            signal: ctx.signal,
          });
          if (!res.ok) throw new Error(`Acme AI answered ${res.status}`);
          const body = await res.json();
          return body.data.map((m) => ({ id: m.id, displayName: m.id }));
        },
        languageModel() {
          throw new Error('not used by the host tests');
        },
      }),
    ],
    panels: [{ slot: 'integrations.connector.settings', expose: './Settings', connector: 'acme' }],
  },
  permissions: { hosts: ['tasks.acme.test'] },
});

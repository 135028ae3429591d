// A fixture plugin for the flow engine's tests: plain JavaScript on the public SDK only.
import { createHmac, timingSafeEqual } from 'node:crypto';
import {
  auth,
  defineAction,
  defineConnector,
  definePlugin,
  defineTrigger,
  prop,
} from '@pmos/sdk/server';

// Failures left per key, so "fails twice, then works" can be set up from a step's input.
const failuresLeft = new Map();

// Each trigger hook call, in order, per workspace (the tests read it).
async function logHook(ctx, entry) {
  const calls = (await ctx.store.get('hookCalls', 'workspace')) ?? [];
  await ctx.store.put('hookCalls', [...calls, { flowId: ctx.run.flowId, ...entry }], 'workspace');
}

const wait = (ms, signal) =>
  new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(new Error('aborted'));
    });
  });

export default definePlugin({
  id: 'flowkit',
  version: '1.0.0',
  sdk: '^0.1.0',
  displayName: 'Flow Kit',
  contributes: {
    connectors: [
      defineConnector({
        id: 'kit',
        displayName: 'Flow Kit',
        auth: auth.none(),
        actions: [
          defineAction({
            id: 'echo',
            displayName: 'Echo',
            description: 'Returns its input.',
            risk: 'read',
            props: { value: prop.json({ displayName: 'Value', required: false }) },
            async run(ctx) {
              return { value: ctx.props.value ?? null };
            },
          }),
          defineAction({
            id: 'fail',
            displayName: 'Fail',
            description: 'Fails `times` times for a key, then echoes.',
            risk: 'read',
            props: {
              key: prop.shortText({ displayName: 'Key', required: true }),
              times: prop.number({ displayName: 'Times', required: true }),
            },
            async run(ctx) {
              const left = failuresLeft.get(ctx.props.key) ?? ctx.props.times;
              if (left > 0) {
                failuresLeft.set(ctx.props.key, left - 1);
                throw new Error(`Planned failure (${left} left)`);
              }
              failuresLeft.set(ctx.props.key, 0);
              return { recovered: true };
            },
          }),
          defineAction({
            id: 'wait',
            displayName: 'Wait',
            description: 'Waits, honouring cancellation.',
            risk: 'read',
            props: { ms: prop.number({ displayName: 'Milliseconds', required: true }) },
            async run(ctx) {
              try {
                await wait(ctx.props.ms, ctx.signal);
              } catch (error) {
                // What a cancelled run's step sees: its signal, at once (the test reads this).
                await ctx.store.put('lastAbort', { ms: ctx.props.ms }, 'workspace');
                throw error;
              }
              return { waited: ctx.props.ms };
            },
          }),
          defineAction({
            id: 'respond',
            displayName: 'Respond',
            description: 'Answers the webhook that started the run.',
            risk: 'read',
            props: {
              status: prop.number({ displayName: 'Status', required: false }),
              body: prop.json({ displayName: 'Body', required: false }),
            },
            async run(ctx) {
              const reply = { status: ctx.props.status ?? 200, body: ctx.props.body ?? null };
              ctx.run.respond(reply);
              return reply;
            },
          }),
        ],
        triggers: [
          defineTrigger({
            id: 'manual',
            displayName: 'Manual',
            description: 'Started by hand.',
            strategy: 'manual',
            props: {},
            async run(ctx) {
              return [ctx.payload ?? { manual: true }];
            },
          }),
          defineTrigger({
            id: 'hook',
            displayName: 'Webhook',
            description: 'Started by a webhook; a body with {"skip": true} starts nothing.',
            strategy: 'webhook',
            props: {},
            async run(ctx) {
              const delivery = ctx.payload;
              if (delivery?.body?.skip) return [];
              if (Array.isArray(delivery?.body?.many)) return delivery.body.many;
              return [delivery];
            },
          }),
          defineTrigger({
            id: 'tick',
            displayName: 'Every minute',
            description: 'A schedule.',
            strategy: 'schedule',
            props: { timezone: prop.shortText({ displayName: 'Time zone', required: false }) },
            schedule: (props) => ({ cron: '* * * * *', timezone: props.timezone ?? 'UTC' }),
            async run(ctx) {
              return [ctx.payload];
            },
          }),
          defineTrigger({
            id: 'poll',
            displayName: 'New items',
            description: 'Polls items; the store says which exist.',
            strategy: 'polling',
            props: {},
            dedupeKey: (item) => item.id,
            async onEnable(ctx) {
              if (await ctx.store.get('refuseEnable', 'workspace')) {
                throw new Error('The item service is down.');
              }
            },
            // The Flow Studio's "Load a real event": recent items, newest first.
            async test() {
              return [{ id: 'recent-2' }, { id: 'recent-1' }];
            },
            async run(ctx) {
              return (await ctx.store.get('items', 'workspace')) ?? [];
            },
          }),
          defineTrigger({
            id: 'signed',
            displayName: 'Signed webhook',
            description:
              'Starts the flow for deliveries signed like GitHub does (HMAC-SHA256 of the raw body).',
            strategy: 'webhook',
            rawBody: true,
            props: { secret: prop.shortText({ displayName: 'Secret', required: true }) },
            async run(ctx) {
              const delivery = ctx.payload;
              const expected = `sha256=${createHmac('sha256', ctx.props.secret).update(delivery.rawBody).digest('hex')}`;
              const given = delivery.headers['x-hub-signature-256'] ?? '';
              const same =
                given.length === expected.length &&
                timingSafeEqual(Buffer.from(given), Buffer.from(expected));
              return same ? [{ verified: true, body: delivery.body }] : [];
            },
          }),
          defineTrigger({
            id: 'registered',
            displayName: 'Registered webhook',
            description:
              'Registers its URL with a service when turned on, and removes it when turned off.',
            strategy: 'webhook',
            props: { channel: prop.shortText({ displayName: 'Channel', required: false }) },
            async onEnable(ctx) {
              const channel = ctx.props.channel ?? null;
              if (channel === 'refused') {
                throw new Error('The service refused to register the webhook.');
              }
              await ctx.store.put('registration', { channel, url: ctx.webhookUrl }, 'flow');
              await logHook(ctx, { hook: 'enable', channel, url: ctx.webhookUrl ?? null });
            },
            async onDisable(ctx) {
              // What onEnable kept for the flow is still there, even once the flow is deleted.
              const registration = await ctx.store.get('registration', 'flow');
              await logHook(ctx, {
                hook: 'disable',
                channel: ctx.props.channel ?? null,
                url: registration?.url ?? null,
              });
            },
            async run(ctx) {
              return [ctx.payload];
            },
          }),
        ],
      }),
    ],
  },
});

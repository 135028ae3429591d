import { defineTrigger, prop } from '@pmos/sdk/server';
import { createMemoryStore } from '@pmos/sdk/testing';
import { describe, expect, it } from 'vitest';
import type { LoadedPlugin } from './loader.js';
import {
  runTriggerHook,
  type TriggerHookRun,
  testPluginTrigger,
  triggerTestEvents,
} from './run-trigger.js';

const plugin = {
  id: 'hooks',
  status: 'loaded',
  manifest: { displayName: 'Hooks', permissions: { hosts: [] } },
} as unknown as LoadedPlugin;

const seen: { hook: string; channel: string; webhookUrl?: string }[] = [];
const registered = defineTrigger({
  id: 'registered',
  displayName: 'Registered',
  description: 'Registers its webhook with the service.',
  strategy: 'webhook',
  props: { channel: prop.shortText({ displayName: 'Channel', required: true }) },
  async onEnable(ctx) {
    if (ctx.props.channel === 'refused') throw new Error('The service refused key sk-secret-1');
    seen.push({
      hook: 'enable',
      channel: ctx.props.channel,
      ...(ctx.webhookUrl ? { webhookUrl: ctx.webhookUrl } : {}),
    });
  },
  async onDisable(ctx) {
    seen.push({ hook: 'disable', channel: ctx.props.channel });
  },
  async run() {
    return [];
  },
});

const base = (input: Record<string, unknown>, extra: Partial<TriggerHookRun> = {}) => ({
  plugin,
  trigger: registered,
  auth: { key: 'sk-secret-1' },
  input,
  workspace: { id: 'w', name: 'W' },
  store: createMemoryStore(),
  logger: { debug() {}, info() {}, warn() {}, error() {} },
  run: { id: null, flowId: 'f', stepName: 'trigger', respond() {} },
  ...extra,
});

describe('runTriggerHook', () => {
  it('calls onEnable with the props and the webhook URL, and onDisable without it', async () => {
    seen.length = 0;
    const webhookUrl = 'https://pmos.example/hooks/f/s';
    await runTriggerHook('onEnable', base({ channel: 'news' }, { webhookUrl }));
    await runTriggerHook('onDisable', base({ channel: 'news' }, { webhookUrl }));
    expect(seen).toEqual([
      { hook: 'enable', channel: 'news', webhookUrl },
      { hook: 'disable', channel: 'news' },
    ]);
  });

  it('refuses incomplete props before the plugin runs', async () => {
    seen.length = 0;
    await expect(runTriggerHook('onEnable', base({}))).rejects.toMatchObject({
      code: 'invalid_step_input',
    });
    expect(seen).toEqual([]);
  });

  it("turns the plugin's failure into a plugin error without the connection's secrets", async () => {
    const failure = await runTriggerHook('onEnable', base({ channel: 'refused' })).catch((e) => e);
    expect(failure).toMatchObject({ code: 'plugin_call_failed' });
    expect(String(failure.message)).toContain('The service refused');
    expect(String(failure.message)).not.toContain('sk-secret-1');
  });

  it('does nothing for a trigger without the hook', async () => {
    const plain = defineTrigger({
      id: 'plain',
      displayName: 'Plain',
      description: 'No hooks.',
      strategy: 'polling',
      props: {},
      async run() {
        return [];
      },
    });
    await expect(runTriggerHook('onEnable', base({}, { trigger: plain }))).resolves.toBeUndefined();
  });
});

describe('testPluginTrigger', () => {
  const polling = (extra: Record<string, unknown> = {}) =>
    defineTrigger({
      id: 'items',
      displayName: 'New items',
      description: 'Polls items.',
      strategy: 'polling',
      props: {},
      async run() {
        return [{ id: 'from-run' }];
      },
      ...extra,
    });

  it("gives the trigger's own test events, at most five", async () => {
    const trigger = polling({
      async test() {
        return Array.from({ length: 8 }, (_, i) => ({ id: `recent-${i}` }));
      },
    });
    const events = await testPluginTrigger(base({}, { trigger }));
    expect(events).toHaveLength(triggerTestEvents);
    expect(events[0]).toEqual({ id: 'recent-0' });
  });

  it('falls back to one run of a polling trigger, and a firing of now for a schedule', async () => {
    await expect(testPluginTrigger(base({}, { trigger: polling() }))).resolves.toEqual([
      { id: 'from-run' },
    ]);
    const daily = defineTrigger({
      id: 'daily',
      displayName: 'Daily',
      description: 'Every day.',
      strategy: 'schedule',
      props: {},
      schedule: () => ({ cron: '0 9 * * *', timezone: 'UTC' }),
      async run(ctx) {
        return [ctx.payload];
      },
    });
    const [firing] = (await testPluginTrigger(base({}, { trigger: daily }))) as {
      firedAt: string;
    }[];
    expect(Date.now() - Date.parse(firing?.firedAt ?? '')).toBeLessThan(5000);
  });

  it('says a webhook trigger without test has nothing to give on request', async () => {
    await expect(testPluginTrigger(base({ channel: 'news' }))).rejects.toMatchObject({
      code: 'trigger_test_unavailable',
      message: expect.stringContaining('webhook'),
    });
  });

  it('refuses a test that does not answer a list', async () => {
    const trigger = polling({ test: async () => ({ id: 1 }) });
    await expect(testPluginTrigger(base({}, { trigger }))).rejects.toMatchObject({
      code: 'plugin_call_failed',
    });
  });
});

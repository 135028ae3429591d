import { runTrigger } from '@pmos/sdk/testing';
import { describe, expect, it } from 'vitest';
import { WebhookDeliveryError, webhook } from './webhook.js';

const delivery = {
  method: 'POST',
  headers: { 'content-type': 'application/json', 'x-signature': 'abc' },
  query: { source: 'signup-form' },
  body: { email: 'ada@example.com' },
};

describe('webhook trigger', () => {
  it('turns a delivery into one event, any method by default', async () => {
    const { events } = await runTrigger(webhook, { payload: delivery });
    expect(events).toEqual([delivery]);
    expect(webhook.props.method.defaultValue).toBe('any');
    expect(webhook.strategy).toBe('webhook');
  });

  it('drops a delivery whose method does not match', async () => {
    expect(
      (await runTrigger(webhook, { props: { method: 'GET' }, payload: delivery })).events,
    ).toEqual([]);
    expect(
      (
        await runTrigger(webhook, {
          props: { method: 'POST' },
          payload: { ...delivery, method: 'post' },
        })
      ).events,
    ).toMatchObject([{ method: 'POST' }]);
  });

  it('reads missing parts as empty, and values as text', async () => {
    const { events } = await runTrigger(webhook, {
      payload: { method: 'GET', query: { page: 2, tag: ['a', 'b'] } },
    });
    expect(events).toEqual([
      { method: 'GET', headers: {}, query: { page: '2', tag: 'a, b' }, body: null },
    ]);
  });

  it('refuses a payload that is not a delivery', async () => {
    for (const payload of [undefined, 'raw', { headers: {}, body: '' }]) {
      await expect(runTrigger(webhook, { payload })).rejects.toBeInstanceOf(WebhookDeliveryError);
    }
  });
});

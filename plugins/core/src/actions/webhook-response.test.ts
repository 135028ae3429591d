import { runAction } from '@pmos/sdk/testing';
import { describe, expect, it } from 'vitest';
import { WebhookReplyError, webhookResponse } from './webhook-response.js';

describe('webhook_response', () => {
  it('answers the webhook with JSON by default, and outputs the reply', async () => {
    const result = await runAction(webhookResponse, { props: { body: { received: true } } });
    const reply = {
      status: 200,
      headers: { 'content-type': 'application/json' },
      body: { received: true },
    };
    expect(result.replies).toEqual([reply]);
    expect(result.output).toEqual(reply);
  });

  it('sends a status, headers as text, and a text body', async () => {
    const result = await runAction(webhookResponse, {
      props: {
        status: 202,
        headers: { 'X-Request-Id': 'req_42', 'Retry-After': 30, Empty: null },
        bodyType: 'text',
        body: 'Accepted',
      },
    });
    expect(result.replies).toEqual([
      {
        status: 202,
        headers: {
          'x-request-id': 'req_42',
          'retry-after': '30',
          'content-type': 'text/plain; charset=utf-8',
        },
        body: 'Accepted',
      },
    ]);
  });

  it('keeps a content type the step sets, and quotes a JSON string', async () => {
    const result = await runAction(webhookResponse, {
      props: { headers: { 'Content-Type': 'application/vnd.api+json' }, body: 'ok' },
    });
    expect(result.replies[0]).toEqual({
      status: 200,
      headers: { 'content-type': 'application/vnd.api+json' },
      body: '"ok"',
    });
  });

  it('answers an empty body as null (JSON) or "" (text)', async () => {
    expect(
      (await runAction(webhookResponse, { props: { status: 204 } })).replies[0]?.body,
    ).toBeNull();
    expect(
      (await runAction(webhookResponse, { props: { bodyType: 'text' } })).replies[0]?.body,
    ).toBe('');
  });

  it.each([99, 600, 200.5])('refuses status %s and answers nothing', async (status) => {
    const failing = runAction(webhookResponse, { props: { status } });
    await expect(failing).rejects.toBeInstanceOf(WebhookReplyError);
    await expect(failing).rejects.toThrow(
      `The status is a whole number from 100 to 599 (got ${status}).`,
    );
  });
});

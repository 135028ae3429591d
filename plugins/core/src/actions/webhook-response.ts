import { defineAction, prop, type WebhookReply } from '@pmos/sdk/server';

/** A reply that HTTP cannot carry. */
export class WebhookReplyError extends Error {
  readonly code = 'invalid_webhook_reply';
  constructor(message: string) {
    super(message);
    this.name = 'WebhookReplyError';
  }
}

export const webhookResponse = defineAction({
  id: 'webhook_response',
  displayName: 'Respond to webhook',
  description:
    'Answers the request that started the flow with a status, headers and a body. It takes ' +
    'effect when the flow was started by a webhook that waits for the answer; otherwise ' +
    'the answer is recorded and the flow goes on.',
  risk: 'read',
  props: {
    status: prop.number({
      displayName: 'Status',
      description: 'The HTTP status code, from 100 to 599.',
      required: true,
      defaultValue: 200,
    }),
    headers: prop.object({
      displayName: 'Headers',
      description: 'Header names and values of the answer.',
    }),
    bodyType: prop.staticDropdown({
      displayName: 'Body type',
      required: true,
      defaultValue: 'json',
      options: {
        options: [
          { label: 'JSON', value: 'json' },
          { label: 'Text', value: 'text' },
        ],
      },
    }),
    body: prop.json({
      displayName: 'Body',
      description: 'JSON: any value. Text: a string.',
    }),
  },
  sampleOutput: {
    status: 200,
    headers: { 'content-type': 'application/json' },
    body: { received: true },
  } satisfies WebhookReply,
  async run(ctx): Promise<WebhookReply> {
    const { status, bodyType } = ctx.props;
    if (!Number.isInteger(status) || status < 100 || status > 599) {
      throw new WebhookReplyError(`The status is a whole number from 100 to 599 (got ${status}).`);
    }
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(ctx.props.headers ?? {})) {
      if (value === undefined || value === null) continue;
      headers[name.trim().toLowerCase()] =
        typeof value === 'string' ? value : JSON.stringify(value);
    }
    let body: unknown;
    if (bodyType === 'text') {
      headers['content-type'] ??= 'text/plain; charset=utf-8';
      const given = ctx.props.body;
      body =
        given === undefined || given === null
          ? ''
          : typeof given === 'string'
            ? given
            : JSON.stringify(given);
    } else {
      headers['content-type'] ??= 'application/json';
      // PMOS sends a string reply as it is: a JSON string must arrive quoted.
      const given = ctx.props.body ?? null;
      body = typeof given === 'string' ? JSON.stringify(given) : given;
    }
    const reply: WebhookReply = { status, headers, body };
    ctx.run.respond(reply);
    return reply;
  },
});

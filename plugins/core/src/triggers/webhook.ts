import { defineTrigger, prop } from '@pmos/sdk/server';

export const webhookMethods = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

/** One request to the flow's webhook URL, as the flow receives it. */
export interface WebhookEvent {
  method: string;
  headers: Record<string, string>;
  query: Record<string, string>;
  body: unknown;
}

/** A payload that is not a webhook delivery at all. */
export class WebhookDeliveryError extends Error {
  readonly code = 'invalid_webhook_delivery';
  constructor(message: string) {
    super(message);
    this.name = 'WebhookDeliveryError';
  }
}

export const webhook = defineTrigger({
  id: 'webhook',
  displayName: 'Webhook',
  description:
    "Starts the flow for each request to the flow's webhook URL, with the request's method, " +
    'headers, query parameters and body.',
  strategy: 'webhook',
  props: {
    setup: prop.markdown({
      variant: 'info',
      text:
        'Send requests to the **webhook URL** PMOS shows for this flow. The flow receives ' +
        '`{ method, headers, query, body }`; add a **Respond to webhook** step to answer the caller.',
    }),
    method: prop.staticDropdown({
      displayName: 'Method',
      description: 'Only requests with this method start the flow.',
      required: true,
      defaultValue: 'any',
      options: {
        options: [
          { label: 'Any method', value: 'any' },
          ...webhookMethods.map((m) => ({ label: m, value: m })),
        ],
      },
    }),
  },
  sampleOutput: {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'user-agent': 'curl/8.7.1' },
    query: { source: 'signup-form' },
    body: { email: 'ada@example.com', plan: 'pro' },
  } satisfies WebhookEvent,
  async run(ctx): Promise<WebhookEvent[]> {
    const event = asEvent(ctx.payload);
    const wanted = ctx.props.method;
    if (wanted !== 'any' && event.method !== wanted) return [];
    return [event];
  },
});

function asEvent(payload: unknown): WebhookEvent {
  const p = payload as Partial<Record<keyof WebhookEvent, unknown>> | null | undefined;
  if (!p || typeof p !== 'object' || typeof p.method !== 'string') {
    throw new WebhookDeliveryError(
      'Expected a webhook delivery: { method, headers, query, body } with the method as text.',
    );
  }
  return {
    method: p.method.toUpperCase(),
    headers: stringRecord(p.headers),
    query: stringRecord(p.query),
    body: p.body ?? null,
  };
}

/** Header and query values as text; repeated values joined with ", ". */
function stringRecord(value: unknown): Record<string, string> {
  if (!value || typeof value !== 'object') return {};
  const out: Record<string, string> = {};
  for (const [key, item] of Object.entries(value)) {
    if (item === undefined || item === null) continue;
    out[key] = Array.isArray(item) ? item.map(String).join(', ') : String(item);
  }
  return out;
}

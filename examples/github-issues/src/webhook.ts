import { createHmac, timingSafeEqual } from 'node:crypto';

/** One webhook delivery as PMOS passes it to a webhook trigger: headers and the raw body. */
export interface WebhookDelivery {
  headers: Record<string, string>;
  /** The body exactly as received: the signature is computed over these bytes. */
  body: string;
}

/** A delivery that was not signed with the secret the flow knows. */
export class WebhookSignatureError extends Error {
  readonly code = 'invalid_signature';
  constructor(message: string) {
    super(message);
    this.name = 'WebhookSignatureError';
  }
}

/** A payload that is not a webhook delivery at all. */
export class WebhookPayloadError extends Error {
  readonly code = 'invalid_payload';
  constructor(message: string) {
    super(message);
    this.name = 'WebhookPayloadError';
  }
}

export function asDelivery(payload: unknown): WebhookDelivery {
  const p = payload as Partial<WebhookDelivery> | null | undefined;
  if (
    !p ||
    typeof p !== 'object' ||
    typeof p.body !== 'string' ||
    !p.headers ||
    typeof p.headers !== 'object'
  ) {
    throw new WebhookPayloadError(
      'Expected a webhook delivery: { headers: Record<string, string>, body: string }.',
    );
  }
  return { headers: p.headers, body: p.body };
}

/** A header by name, whatever its case. */
export function header(headers: Record<string, string>, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === wanted) return value;
  }
  return undefined;
}

/** What GitHub sends in `X-Hub-Signature-256` for a body signed with a secret. */
export function signBody(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body, 'utf8').digest('hex')}`;
}

/** Checks `X-Hub-Signature-256` in constant time; throws `invalid_signature` when it fails. */
export function verifySignature(delivery: WebhookDelivery, secret: string): void {
  const received = header(delivery.headers, 'x-hub-signature-256');
  if (!received) {
    throw new WebhookSignatureError(
      'The delivery has no X-Hub-Signature-256 header: set the same secret on the GitHub webhook.',
    );
  }
  const expected = Buffer.from(signBody(secret, delivery.body), 'utf8');
  const actual = Buffer.from(received.trim(), 'utf8');
  if (actual.length !== expected.length || !timingSafeEqual(actual, expected)) {
    throw new WebhookSignatureError(
      "The delivery is not signed with this flow's secret: the GitHub webhook and the trigger must use the same secret.",
    );
  }
}

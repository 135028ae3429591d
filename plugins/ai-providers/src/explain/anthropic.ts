import type { ProviderProblem } from '../errors.js';
import { type Classifier, type ExplainContext, explainWith } from './explain.js';
import { isRecord } from './failure.js';

/**
 * Anthropic's error shape, `{ type: "error", error: { type, message } }` — in an HTTP error
 * answer and as the `error` event of a stream — with types `authentication_error`,
 * `permission_error`, `not_found_error`, `rate_limit_error`, `overloaded_error` (529),
 * `invalid_request_error`, `billing_error`, `request_too_large`, `api_error`, `timeout_error`.
 */
export interface AnthropicWireError {
  type?: string;
  message?: string;
}

export function readAnthropicError(body: unknown): AnthropicWireError {
  if (typeof body === 'string') return { message: body };
  if (!isRecord(body)) return {};
  const inner = isRecord(body.error) ? body.error : body;
  return {
    type: typeof inner.type === 'string' ? inner.type : undefined,
    message: typeof inner.message === 'string' ? inner.message : undefined,
  };
}

const tooLong = /prompt is too long|context window|too many tokens|maximum.*tokens/i;

export const classifyAnthropicError: Classifier = (wire, quote) => {
  const { type, message } = readAnthropicError(wire.body);
  const status = wire.status;
  const said = quote(message);
  const is = (wanted: string, code?: number) =>
    type === wanted || (code !== undefined && status === code);
  if (is('authentication_error', 401)) return { code: 'invalid_key' };
  if (is('billing_error', 402) || /credit balance/i.test(message ?? '')) {
    return { code: 'quota_exhausted' };
  }
  if (is('permission_error', 403)) return { code: 'permission_denied', said };
  if (is('not_found_error', 404)) {
    // A wrong model says "model: claude-…"; a wrong path says "Not Found".
    return wire.modelId && /model/i.test(message ?? '')
      ? { code: 'model_not_found' }
      : { code: 'endpoint_not_found' };
  }
  if (is('rate_limit_error', 429)) return { code: 'rate_limited' };
  if (is('overloaded_error', 529) || status === 503) return { code: 'overloaded' };
  if (is('timeout_error', 504)) return { code: 'timeout' };
  if (tooLong.test(message ?? '')) return { code: 'context_too_long' };
  if (is('invalid_request_error', 400) || is('request_too_large', 413)) {
    return { code: 'invalid_request', said };
  }
  if (type === 'api_error' || (status !== undefined && status >= 500)) {
    return { code: 'provider_error' };
  }
  return { code: 'unknown', said };
};

/** Explains a failed Anthropic call (a listing, a health check or a chat model call). */
export function explainAnthropicError(error: unknown, context?: ExplainContext): ProviderProblem {
  return explainWith('anthropic', classifyAnthropicError, error, context);
}

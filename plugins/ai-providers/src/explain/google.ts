import type { ProviderProblem } from '../errors.js';
import { type Classifier, type ExplainContext, explainWith } from './explain.js';
import { isRecord } from './failure.js';

/**
 * Google's error shape, `{ error: { code, message, status, details } }`: a bad key is
 * `INVALID_ARGUMENT` with reason `API_KEY_INVALID`, no key `PERMISSION_DENIED` ("unregistered
 * callers"), and `RESOURCE_EXHAUSTED` (429) covers both per-minute rate limits and the
 * free tier's daily quota — told apart by the `QuotaFailure` detail's quota id.
 */
export interface GoogleWireError {
  status?: string;
  message?: string;
  /** `ErrorInfo` reasons, e.g. API_KEY_INVALID, SERVICE_DISABLED. */
  reasons: string[];
  /** `QuotaFailure` quota ids, e.g. GenerateRequestsPerDayPerProjectPerModel-FreeTier. */
  quotaIds: string[];
  /** `RetryInfo.retryDelay`, in seconds. */
  retryDelaySeconds?: number;
}

export function readGoogleError(body: unknown): GoogleWireError {
  // Streaming endpoints answer errors as a one-element array.
  const first = Array.isArray(body) ? body[0] : body;
  const found: GoogleWireError = { reasons: [], quotaIds: [] };
  if (typeof first === 'string') return { ...found, message: first };
  if (!isRecord(first)) return found;
  const inner = isRecord(first.error) ? first.error : first;
  if (typeof inner.status === 'string') found.status = inner.status;
  if (typeof inner.message === 'string') found.message = inner.message;
  for (const detail of Array.isArray(inner.details) ? inner.details : []) {
    if (!isRecord(detail)) continue;
    if (typeof detail.reason === 'string') found.reasons.push(detail.reason);
    if (typeof detail.retryDelay === 'string') {
      const seconds = Number.parseFloat(detail.retryDelay);
      if (Number.isFinite(seconds)) found.retryDelaySeconds = Math.max(1, Math.ceil(seconds));
    }
    for (const violation of Array.isArray(detail.violations) ? detail.violations : []) {
      if (isRecord(violation) && typeof violation.quotaId === 'string') {
        found.quotaIds.push(violation.quotaId);
      }
    }
  }
  return found;
}

const tooLong = /token count|exceeds the maximum number of tokens|too many tokens|context/i;

export const classifyGoogleError: Classifier = (wire, quote) => {
  const g = readGoogleError(wire.body);
  const status = wire.status;
  const message = g.message ?? '';
  const said = quote(g.message);
  const is = (wanted: string, code?: number) =>
    g.status === wanted || (code !== undefined && status === code);
  if (
    g.reasons.includes('API_KEY_INVALID') ||
    (is('INVALID_ARGUMENT') && /api key/i.test(message)) ||
    is('UNAUTHENTICATED', 401) ||
    /unregistered callers/i.test(message)
  ) {
    return { code: 'invalid_key' };
  }
  if (is('PERMISSION_DENIED', 403)) return { code: 'permission_denied', said };
  if (is('NOT_FOUND', 404)) {
    return wire.modelId && /model/i.test(message)
      ? { code: 'model_not_found' }
      : { code: 'endpoint_not_found' };
  }
  if (is('RESOURCE_EXHAUSTED', 429)) {
    return g.quotaIds.some((id) => /PerDay/i.test(id))
      ? { code: 'quota_exhausted' }
      : { code: 'rate_limited', retryAfterSeconds: g.retryDelaySeconds ?? wire.retryAfterSeconds };
  }
  if (is('FAILED_PRECONDITION')) {
    // "User location is not supported", or billing needed for this model.
    return /billing/i.test(message)
      ? { code: 'quota_exhausted', said }
      : { code: 'permission_denied', said };
  }
  if (is('INVALID_ARGUMENT', 400)) {
    return tooLong.test(message) ? { code: 'context_too_long' } : { code: 'invalid_request', said };
  }
  if (is('UNAVAILABLE', 503)) return { code: 'overloaded' };
  if (is('DEADLINE_EXCEEDED', 504)) return { code: 'timeout' };
  if (is('INTERNAL') || (status !== undefined && status >= 500)) return { code: 'provider_error' };
  return { code: 'unknown', said };
};

/** Explains a failed Google Gemini call (a listing, a health check or a chat model call). */
export function explainGoogleError(error: unknown, context?: ExplainContext): ProviderProblem {
  return explainWith('google', classifyGoogleError, error, context);
}

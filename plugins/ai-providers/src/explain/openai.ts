import type { ProviderProblem } from '../errors.js';
import { type Classifier, type ExplainContext, explainWith } from './explain.js';
import { isRecord } from './failure.js';

/**
 * OpenAI's error shape, `{ error: { message, type, param, code } }`, and what
 * OpenAI-compatible servers send instead: vLLM `{ object: "error", message, type, code }`,
 * LM Studio and older Ollama `{ error: "text" }`, FastAPI-based servers `{ detail }`.
 */
export interface OpenAiWireError {
  message?: string;
  type?: string;
  code?: string;
}

const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value : undefined);

export function readOpenAiError(body: unknown): OpenAiWireError {
  if (typeof body === 'string') return { message: body };
  if (!isRecord(body)) return {};
  if (typeof body.error === 'string') return { message: body.error };
  const inner = isRecord(body.error) ? body.error : body;
  return {
    message: text(inner.message) ?? text(body.detail),
    type: text(inner.type),
    code: inner.code === null || inner.code === undefined ? undefined : String(inner.code),
  };
}

/** "Please try again in 20s" / "in 850ms", as OpenAI writes it in rate-limit messages. */
function waitFromMessage(message: string | undefined): number | undefined {
  const match = /try again in (\d+(?:\.\d+)?)\s*(ms|s)\b/i.exec(message ?? '');
  if (!match?.[1]) return undefined;
  const amount = Number(match[1]);
  return Math.max(1, Math.ceil(match[2] === 'ms' ? amount / 1000 : amount));
}

const tooLong = /context length|context window|maximum context|too many tokens|prompt is too long/i;

export const classifyOpenAiError: Classifier = (wire, quote) => {
  const { message, type, code } = readOpenAiError(wire.body);
  const status = wire.status;
  const said = quote(message);
  // 401 first: its message echoes part of the key, so it is never repeated.
  if (code === 'invalid_api_key' || status === 401) return { code: 'invalid_key' };
  if (code === 'insufficient_quota' || type === 'insufficient_quota') {
    return { code: 'quota_exhausted' };
  }
  if (code === 'model_not_found') return { code: 'model_not_found' };
  if (code === 'context_length_exceeded') return { code: 'context_too_long' };
  if (status === 429 || code === 'rate_limit_exceeded') {
    return {
      code: 'rate_limited',
      retryAfterSeconds: wire.retryAfterSeconds ?? waitFromMessage(message),
    };
  }
  // Servers without OpenAI's codes (vLLM, Ollama) only say it in words.
  if (tooLong.test(message ?? '')) return { code: 'context_too_long' };
  if (status === 403) return { code: 'permission_denied', said };
  if (status === 404) {
    // Only a model call can miss a model; a listing's 404 ("Invalid URL …") is a wrong address.
    return wire.modelId && /model/i.test(message ?? '')
      ? { code: 'model_not_found' }
      : { code: 'endpoint_not_found' };
  }
  if (status === 400 || status === 422) return { code: 'invalid_request', said };
  if (status === 408 || status === 504) return { code: 'timeout' };
  if (status === 503 || status === 529 || /overloaded/i.test(message ?? '')) {
    return { code: 'overloaded' };
  }
  if ((status !== undefined && status >= 500) || type === 'server_error') {
    return { code: 'provider_error' };
  }
  return { code: 'unknown', said };
};

/** Explains a failed OpenAI call (a listing, a health check or a chat model call). */
export function explainOpenAiError(error: unknown, context?: ExplainContext): ProviderProblem {
  return explainWith('openai', classifyOpenAiError, error, context);
}

/** Explains a failed call to an OpenAI-compatible server (Ollama, vLLM, LM Studio …). */
export function explainOpenAiCompatibleError(
  error: unknown,
  context?: ExplainContext,
): ProviderProblem {
  return explainWith('openai-compatible', classifyOpenAiError, error, context);
}

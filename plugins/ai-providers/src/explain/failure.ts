/**
 * Reads any failure of a provider call into one shape, whatever raised it: the AI SDK's
 * `APICallError` (an HTTP error answer), its stream error parts (a provider's error event
 * mid-stream), `RetryError` around either, or a bare error object. Duck-typed rather than
 * `instanceof`, because the host and the plugin may each load their own copy of the SDK.
 */

export interface WireFailure {
  /** The HTTP status; absent for an error event inside a stream that did not say one. */
  status?: number;
  /** The provider's error body (parsed when it was JSON), or its error event. */
  body: unknown;
  /** The URL that failed, when known (never holds a key: keys travel in headers). */
  url?: string;
  /** The model the request named, when it can be read from the request. */
  modelId?: string;
  retryAfterSeconds?: number;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function parseJson(text: unknown): unknown {
  if (typeof text !== 'string' || text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** `generateText`/`streamText` retry first; the last attempt says what went wrong. */
export function unwrapRetries(error: unknown): unknown {
  let current = error;
  for (let depth = 0; depth < 5 && isRecord(current) && 'lastError' in current; depth++) {
    current = current.lastError;
  }
  return current;
}

function headerOf(headers: unknown, name: string): string | undefined {
  if (!isRecord(headers)) return undefined;
  const found = Object.entries(headers).find(([key]) => key.toLowerCase() === name);
  return typeof found?.[1] === 'string' ? found[1] : undefined;
}

/** `retry-after-ms` or `retry-after` (seconds; an HTTP date is ignored). */
export function retryAfterOf(headers: unknown): number | undefined {
  const ms = Number(headerOf(headers, 'retry-after-ms'));
  if (Number.isFinite(ms) && ms > 0) return Math.ceil(ms / 1000);
  const seconds = Number(headerOf(headers, 'retry-after'));
  return Number.isFinite(seconds) && seconds > 0 ? Math.ceil(seconds) : undefined;
}

/** The model a request named: `model` in OpenAI/Anthropic bodies, the URL path for Google. */
function modelOf(requestBody: unknown, url: unknown): string | undefined {
  if (isRecord(requestBody) && typeof requestBody.model === 'string') return requestBody.model;
  if (typeof url !== 'string') return undefined;
  const match = /\/models\/([^/:?]+)[:?]/.exec(url) ?? /\/models\/([^/:?]+)$/.exec(url);
  return match?.[1] ? decodeURIComponent(match[1]) : undefined;
}

/** The failure as the provider said it, or null when the provider never answered. */
export function wireFailureOf(error: unknown): WireFailure | null {
  const e = unwrapRetries(error);
  if (!isRecord(e)) return null;
  const status = typeof e.statusCode === 'number' ? e.statusCode : undefined;
  if (e instanceof Error) {
    if (status === undefined) return null;
    // The raw body is complete; the SDK's parsed `data` may have dropped fields (Google details).
    return {
      status,
      body: parseJson(e.responseBody) ?? e.data ?? e.responseBody,
      url: typeof e.url === 'string' ? e.url : undefined,
      modelId: modelOf(e.requestBodyValues, e.url),
      retryAfterSeconds: retryAfterOf(e.responseHeaders),
    };
  }
  // A stream error part: the provider's error object, or the SDK's summary of it with `data`.
  if (!('message' in e || 'error' in e || 'type' in e)) return null;
  return { status, body: e.data ?? e };
}

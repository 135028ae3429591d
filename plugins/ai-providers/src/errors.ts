/**
 * What can go wrong when PMOS talks to an AI provider, as a closed list of codes with a
 * sentence a person can act on. Listing models, health checks and (later) chat all explain
 * failures through the same codes, so the admin page and the chat say the same thing.
 */

/** The provider families this plugin speaks: each has its own error shapes and help links. */
export type AiProviderFamily = 'openai' | 'anthropic' | 'google' | 'openai-compatible';

export type AiProviderProblemCode =
  /** The key is wrong, revoked or missing (OpenAI `invalid_api_key`, Anthropic `authentication_error`, Google `API_KEY_INVALID`). */
  | 'invalid_key'
  /** The key is valid but may not do this (403, Anthropic `permission_error`, Google `PERMISSION_DENIED`). */
  | 'permission_denied'
  /** The model does not exist or this key may not use it. */
  | 'model_not_found'
  /** Nothing at that address: usually a base URL without its /v1. */
  | 'endpoint_not_found'
  /** Out of credit or quota (OpenAI `insufficient_quota`, Anthropic low credit, Google daily quota). */
  | 'quota_exhausted'
  /** Too many requests for now; waiting helps. */
  | 'rate_limited'
  /** The provider is overloaded or briefly down (Anthropic 529, 503). */
  | 'overloaded'
  /** The conversation is longer than the model's context window. */
  | 'context_too_long'
  /** The provider refused the request itself (400) for another reason. */
  | 'invalid_request'
  /** The provider failed (5xx). */
  | 'provider_error'
  /** No answer at all: DNS, connection refused or reset, TLS. */
  | 'unreachable'
  /** The provider did not answer in time. */
  | 'timeout'
  /** The request was stopped before it finished (a person cancelled, or PMOS's time limit). */
  | 'cancelled'
  /** PMOS refused the address: loopback or private network, not in PMOS_HTTP_PRIVATE_HOSTS. */
  | 'private_host'
  /** PMOS refused a host the plugin did not declare. */
  | 'host_not_allowed'
  /** The connection's base URL is not a usable http(s) address. */
  | 'invalid_base_url'
  /** The answer was not the API's JSON: usually the base URL points at something else. */
  | 'invalid_response'
  | 'unknown';

/** A failure explained: a stable code and a message for a person. Never holds the key. */
export interface ProviderProblem {
  code: AiProviderProblemCode;
  message: string;
  /** Whether trying again later can work (rate limits, overload, outages). */
  retryable: boolean;
  /** The HTTP status the provider answered, when it answered. */
  status?: number;
  /** How long the provider asked to wait, when it said. */
  retryAfterSeconds?: number;
}

const retryableCodes: ReadonlySet<AiProviderProblemCode> = new Set([
  'rate_limited',
  'overloaded',
  'provider_error',
  'unreachable',
  'timeout',
]);

export function isRetryable(code: AiProviderProblemCode): boolean {
  return retryableCodes.has(code);
}

/** Every failure this plugin throws: the explained problem, with the original as `cause`. */
export class AiProviderError extends Error {
  readonly code: AiProviderProblemCode;
  readonly retryable: boolean;
  readonly status: number | undefined;

  constructor(
    readonly problem: ProviderProblem,
    options: { cause?: unknown } = {},
  ) {
    super(problem.message, options);
    this.name = 'AiProviderError';
    this.code = problem.code;
    this.retryable = problem.retryable;
    this.status = problem.status;
  }
}

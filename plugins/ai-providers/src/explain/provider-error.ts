import type { AiProviderFamily, ProviderProblem } from '../errors.js';
import { explainAnthropicError } from './anthropic.js';
import type { ExplainContext } from './explain.js';
import { isRecord, wireFailureOf } from './failure.js';
import { explainGoogleError } from './google.js';
import { explainOpenAiCompatibleError, explainOpenAiError } from './openai.js';

const explainers: Record<
  AiProviderFamily,
  (error: unknown, context?: ExplainContext) => ProviderProblem
> = {
  openai: explainOpenAiError,
  anthropic: explainAnthropicError,
  google: explainGoogleError,
  'openai-compatible': explainOpenAiCompatibleError,
};

/** The family whose error shape this is, for callers that do not know the provider. */
export function guessProviderFamily(error: unknown): AiProviderFamily {
  const body = wireFailureOf(error)?.body;
  const outer = Array.isArray(body) ? body[0] : body;
  if (!isRecord(outer)) return 'openai';
  if (outer.type === 'error') return 'anthropic';
  const inner = isRecord(outer.error) ? outer.error : outer;
  if (typeof inner.status === 'string' && /^[A-Z_]+$/.test(inner.status)) return 'google';
  // OpenAI's errors always carry `param` and `code`; Anthropic's bare events carry neither.
  const anthropicType = typeof inner.type === 'string' && inner.type.endsWith('_error');
  if (anthropicType && !('param' in inner) && !('code' in inner)) return 'anthropic';
  return 'openai';
}

/**
 * Explains any failure of an AI provider call in plain language — a refused key, an
 * unknown model, exhausted quota, a rate limit, an unreachable or refused address — as
 * `{ code, message, retryable }`. Pass `family` (the provider id of this plugin) when known;
 * `secrets` (the key) are removed from anything the provider wrote.
 */
export function explainProviderError(
  error: unknown,
  context: ExplainContext & { family?: AiProviderFamily } = {},
): ProviderProblem {
  const { family = guessProviderFamily(error), ...rest } = context;
  return explainers[family](error, rest);
}

/**
 * The server side of the AI providers plugin (`pmos.server.entry`): OpenAI, Anthropic,
 * Google Gemini and any OpenAI-compatible server as AI SDK language models, each with a
 * model list and a health check that explains failures in plain language. It imports
 * nothing but `@pmos/sdk/server` and the `@ai-sdk/*` providers; every request goes through
 * the `ctx.http` PMOS binds to the hosts in package.json.
 */
import { type AiProviderDefinition, type AuthDefinition, definePlugin } from '@pmos/sdk/server';
import pkg from '../package.json' with { type: 'json' };
import type { ProviderProblem } from './errors.js';
import { explainAnthropicError } from './explain/anthropic.js';
import type { ExplainContext } from './explain/explain.js';
import { explainGoogleError } from './explain/google.js';
import { explainOpenAiCompatibleError, explainOpenAiError } from './explain/openai.js';
import { anthropicProvider } from './providers/anthropic.js';
import { googleProvider } from './providers/google.js';
import { openAiProvider } from './providers/openai.js';
import { openAiCompatibleProvider } from './providers/openai-compatible.js';

export {
  AiProviderError,
  type AiProviderFamily,
  type AiProviderProblemCode,
  type ProviderProblem,
} from './errors.js';
export { explainAnthropicError } from './explain/anthropic.js';
export type { ExplainContext } from './explain/explain.js';
export { explainGoogleError } from './explain/google.js';
export { explainOpenAiCompatibleError, explainOpenAiError } from './explain/openai.js';
export { explainProviderError, guessProviderFamily } from './explain/provider-error.js';
export { redactSecrets } from './explain/redact.js';
export { anthropicProvider } from './providers/anthropic.js';
export { googleProvider } from './providers/google.js';
export { isOpenAiChatModel, openAiProvider } from './providers/openai.js';
export { openAiCompatibleProvider } from './providers/openai-compatible.js';

/** A provider with the explainer for its model calls' failures. */
export type ExplainingAiProvider<A extends AuthDefinition> = AiProviderDefinition<A> & {
  /**
   * Plain-language `{ code, message }` for a failed model call (`streamText` / `generateText`
   * errors, stream error parts). Chat shows it (`AiProviderDefinition.explainError`).
   */
  explainError(error: unknown, context?: ExplainContext): ProviderProblem;
};

function withExplainer<A extends AuthDefinition>(
  provider: AiProviderDefinition<A>,
  explainError: (error: unknown, context?: ExplainContext) => ProviderProblem,
): ExplainingAiProvider<A> {
  return { ...provider, explainError };
}

export const aiProviders = [
  withExplainer(openAiProvider, explainOpenAiError),
  withExplainer(anthropicProvider, explainAnthropicError),
  withExplainer(googleProvider, explainGoogleError),
  withExplainer(openAiCompatibleProvider, explainOpenAiCompatibleError),
];

export default definePlugin({
  id: pkg.pmos.id,
  version: pkg.version,
  sdk: pkg.pmos.sdk,
  displayName: pkg.pmos.displayName,
  description: pkg.pmos.description,
  contributes: { aiProviders },
  permissions: { hosts: pkg.pmos.permissions.hosts },
});

import type { LanguageModelV4 } from '@ai-sdk/provider';
import { z } from 'zod';
import type { AuthDefinition, AuthValue } from './auth.js';
import type { HealthReport } from './define.js';
import { SdkDefinitionError } from './errors.js';

export interface AiModelInfo {
  id: string;
  displayName: string;
  /** Tokens the model accepts in one request, when the provider says. */
  contextWindow?: number;
}

/** What an AI provider's functions receive: the decrypted key and the bound fetch. */
export interface AiProviderContext<A extends AuthDefinition> {
  auth: AuthValue<A>;
  /** fetch, bound to the hosts the plugin declared; pass it to the AI SDK provider. */
  http: typeof fetch;
  signal: AbortSignal;
}

export interface AiProviderDefinition<A extends AuthDefinition = AuthDefinition> {
  id: string;
  displayName: string;
  description?: string;
  auth: A;
  listModels(ctx: AiProviderContext<A>): Promise<AiModelInfo[]>;
  /** A Vercel AI SDK language model, e.g. `createOpenAI({ apiKey, fetch })(modelId)`. */
  languageModel(ctx: AiProviderContext<A>, modelId: string): LanguageModelV4;
  /** One tiny request that explains failures in plain language (bad key, unreachable …). */
  healthCheck?(ctx: AiProviderContext<A>): Promise<HealthReport>;
  /**
   * Says in plain language why a call to one of its models failed (bad key, quota, model not
   * found …): PMOS shows it in chat. Must never include the key.
   */
  explainError?(error: unknown): { code: string; message: string };
}

const fn = z.custom<(...args: unknown[]) => unknown>((v) => typeof v === 'function', {
  error: 'must be a function',
});

const aiProviderSchema = z.object({
  id: z.string().regex(/^[a-z][a-z0-9_-]{0,63}$/, {
    error: 'must start with a letter: a-z, 0-9, "-" and "_" (at most 64)',
  }),
  displayName: z.string().trim().min(1, { error: 'must not be empty' }),
  auth: z.object({ kind: z.enum(['none', 'secret_text', 'basic', 'custom', 'oauth2']) }).loose(),
  listModels: fn,
  languageModel: fn,
});

/** Defines an AI provider: how to list its models and build an AI SDK model from a key. */
export function defineAiProvider<const A extends AuthDefinition>(
  provider: AiProviderDefinition<A>,
): AiProviderDefinition<A> {
  const result = aiProviderSchema.safeParse(provider);
  if (!result.success) {
    throw new SdkDefinitionError(
      `AI provider "${provider.id}"`,
      result.error.issues.map((i) => `${i.path.join('.') || 'definition'} ${i.message}`),
    );
  }
  return provider;
}

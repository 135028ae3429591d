import {
  AiProviderError,
  type AiProviderFamily,
  type AiProviderProblemCode,
  type ProviderProblem,
} from '../errors.js';
import { describeProblem } from './describe.js';
import { isRecord, type WireFailure, wireFailureOf } from './failure.js';
import { quoteProvider } from './redact.js';
import { explainTransportError, hostOf } from './transport.js';

/** What the caller knows about the failed call, to make the message specific. */
export interface ExplainContext {
  /** Who to name at the start of a sentence; defaults to the provider's name. */
  service?: string;
  /** The model the call used, when the failure does not say. */
  modelId?: string;
  /** The connection's base URL, to name the host when the failure does not. */
  baseUrl?: string;
  /** Values that must not appear in the message: the connection's key. */
  secrets?: readonly (string | undefined)[];
}

/** A family's reading of its own error shape. */
export interface Classification {
  code: AiProviderProblemCode;
  /** The provider's words worth repeating (already quoted safely), if any. */
  said?: string;
  retryAfterSeconds?: number;
}

export type Classifier = (
  wire: WireFailure,
  quote: (text: string | undefined) => string | undefined,
) => Classification;

const serviceNames: Record<Exclude<AiProviderFamily, 'openai-compatible'>, string> = {
  openai: 'OpenAI',
  anthropic: 'Anthropic',
  google: 'Google Gemini',
};

export function serviceName(family: AiProviderFamily, baseUrl?: string): string {
  if (family !== 'openai-compatible') return serviceNames[family];
  const host = hostOf(baseUrl);
  return host ? `The server at ${host}` : 'The OpenAI-compatible server';
}

/** host + path of a URL, without query or credentials: safe to show. */
function whereOf(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    const u = new URL(url);
    return `${u.host}${u.pathname === '/' ? '' : u.pathname}`;
  } catch {
    return undefined;
  }
}

function alreadyExplained(error: unknown): ProviderProblem | null {
  if (error instanceof AiProviderError) return error.problem;
  // The same class from another copy of this plugin's code.
  if (isRecord(error) && error.name === 'AiProviderError' && isRecord(error.problem)) {
    return error.problem as unknown as ProviderProblem;
  }
  return null;
}

/** The shared path of every family: provider answer → classifier; no answer → transport. */
export function explainWith(
  family: AiProviderFamily,
  classify: Classifier,
  error: unknown,
  context: ExplainContext = {},
): ProviderProblem {
  const known = alreadyExplained(error);
  if (known) return known;
  const service = context.service ?? serviceName(family, context.baseUrl);
  const quote = (text: string | undefined) => quoteProvider(text, context.secrets ?? []);
  const wire = wireFailureOf(error);
  if (wire) {
    const found = classify(wire, quote);
    return describeProblem(found.code, {
      family,
      service,
      status: wire.status,
      modelId: wire.modelId ?? context.modelId,
      said: found.said,
      retryAfterSeconds: found.retryAfterSeconds ?? wire.retryAfterSeconds,
      where: whereOf(wire.url ?? context.baseUrl),
    });
  }
  const transport = explainTransportError(error, { service, host: hostOf(context.baseUrl) });
  if (transport) return transport;
  const text = error instanceof Error ? error.message : typeof error === 'string' ? error : '';
  return describeProblem('unknown', { family, service, said: quote(text) });
}

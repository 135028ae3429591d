import {
  type AiProviderFamily,
  type AiProviderProblemCode,
  isRetryable,
  type ProviderProblem,
} from '../errors.js';

/** What a classified failure knows, to be said in a sentence. */
export interface ProblemFacts {
  family: AiProviderFamily;
  /** The provider, named at the start of a sentence: "OpenAI", "The server at 10.0.0.5:8000". */
  service: string;
  status?: number;
  modelId?: string;
  /** The provider's own words, already free of keys. */
  said?: string;
  retryAfterSeconds?: number;
  /** The address asked, host and path only. */
  where?: string;
}

/** Where each family's people fix keys and billing. */
const help: Record<AiProviderFamily, { key: string; billing: string; model: string }> = {
  openai: {
    key: 'Create a new key at platform.openai.com › API keys and save it in the connection.',
    billing:
      'Add credit or raise the usage limit at platform.openai.com › Settings › Billing; retrying does not help until then.',
    model: 'Pick one from the models this connection lists.',
  },
  anthropic: {
    key: 'Create a new key at console.anthropic.com › Settings › API keys and save it in the connection.',
    billing:
      'Buy credits at console.anthropic.com › Settings › Billing; retrying does not help until then.',
    model: 'Pick one from the models this connection lists.',
  },
  google: {
    key: 'Create a key at aistudio.google.com › Get API key and save it in the connection.',
    billing:
      "Wait for the daily quota to reset, or set up billing for the key's Google Cloud project in AI Studio.",
    model: 'Pick one from the models this connection lists.',
  },
  'openai-compatible': {
    key: 'Enter the key this server expects, or leave the field empty if it needs none.',
    billing: 'Check the limits of the account or service behind this address.',
    model:
      'Pick one from the models the server lists (on Ollama, download it first with `ollama pull <model>`).',
  },
};

/** Where a person gets a key for this family, as one sentence. */
export function keyHelp(family: AiProviderFamily): string {
  return help[family].key;
}

function messageFor(code: AiProviderProblemCode, f: ProblemFacts): string {
  const h = help[f.family];
  const quoted = f.said ? ` (“${f.said}”)` : '';
  const model = f.modelId ? `model “${f.modelId}”` : 'the model asked for';
  switch (code) {
    case 'invalid_key':
      return `${f.service} refused the API key: it is wrong, revoked or missing. ${h.key}`;
    case 'permission_denied':
      return `${f.service} accepted the API key but does not allow it to do this${quoted}. Check the key's permissions, project or region in the provider's console.`;
    case 'model_not_found':
      return f.modelId
        ? `${f.service} has no model “${f.modelId}” that this key may use. ${h.model}`
        : `${f.service} does not have the model asked for, or this key may not use it. ${h.model}`;
    case 'endpoint_not_found':
      return `${f.service} has no API at ${f.where ?? 'that address'}: check the base URL${
        f.family === 'openai-compatible'
          ? '. OpenAI-compatible servers usually serve their API under /v1, e.g. http://127.0.0.1:11434/v1 for Ollama or http://127.0.0.1:1234/v1 for LM Studio.'
          : ', or leave it empty to use the provider’s own address.'
      }`;
    case 'quota_exhausted':
      return `${f.service} says the account behind this key has run out of credit or quota${quoted}. ${h.billing}`;
    case 'rate_limited':
      return `${f.service} is limiting how often this key may send requests. Wait ${
        f.retryAfterSeconds
          ? `${f.retryAfterSeconds} second${f.retryAfterSeconds === 1 ? '' : 's'}`
          : 'a moment'
      } and try again.`;
    case 'overloaded':
      return `${f.service} is overloaded or briefly unavailable. Try again in a moment.`;
    case 'context_too_long':
      return `The conversation is too long for ${model}. Start a new chat, or pick a model with a larger context window.`;
    case 'invalid_request':
      return `${f.service} refused the request${f.said ? `: “${f.said}”` : f.status ? ` (HTTP ${f.status})` : ''}.`;
    case 'provider_error':
      return `${f.service} had a problem on its side${f.status ? ` (HTTP ${f.status})` : ''}. Try again; if it keeps happening, check the provider’s status page.`;
    case 'timeout':
      return `${f.service} did not answer in time. Try again in a moment.`;
    case 'invalid_response':
      return `${f.service} answered${f.where ? ` at ${f.where}` : ''} with something that is not its API. Check the base URL.`;
    default:
      return `${f.service} failed${f.said ? `: ${f.said}` : f.status ? ` (HTTP ${f.status})` : ''}.`;
  }
}

export function describeProblem(code: AiProviderProblemCode, facts: ProblemFacts): ProviderProblem {
  return {
    code,
    message: messageFor(code, facts),
    retryable: isRetryable(code),
    ...(facts.status !== undefined ? { status: facts.status } : {}),
    ...(facts.retryAfterSeconds !== undefined
      ? { retryAfterSeconds: facts.retryAfterSeconds }
      : {}),
  };
}

import { APICallError } from '@ai-sdk/provider';
import { PrivateHostError } from '@pmos/sdk/server';
import { describe, expect, it } from 'vitest';
import { AiProviderError } from '../errors.js';
import { explainAnthropicError } from './anthropic.js';
import { explainGoogleError } from './google.js';
import { explainOpenAiCompatibleError, explainOpenAiError } from './openai.js';
import { explainProviderError, guessProviderFamily } from './provider-error.js';
import { redactSecrets } from './redact.js';

/** An HTTP error answer as the AI SDK raises it for a model call. */
function answered(
  status: number,
  body: unknown,
  o: { url?: string; model?: string; headers?: Record<string, string> } = {},
) {
  return new APICallError({
    message: 'failed',
    url: o.url ?? 'https://api.example.com/v1/chat/completions',
    requestBodyValues: o.model ? { model: o.model, messages: [] } : undefined,
    statusCode: status,
    responseHeaders: o.headers ?? {},
    responseBody: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

const openAi = (message: string, type: string, code: string | null) => ({
  error: { message, type, param: null, code },
});
const anthropic = (type: string, message: string) => ({ type: 'error', error: { type, message } });
const google = (code: number, status: string, message: string, details?: unknown[]) => ({
  error: { code, message, status, ...(details ? { details } : {}) },
});

describe('explainOpenAiError', () => {
  it.each([
    [
      401,
      openAi(
        'Incorrect API key provided: sk-proj-****abcd.',
        'invalid_request_error',
        'invalid_api_key',
      ),
      'invalid_key',
    ],
    [
      404,
      openAi(
        'The model `gpt-9` does not exist or you do not have access to it.',
        'invalid_request_error',
        'model_not_found',
      ),
      'model_not_found',
    ],
    [
      429,
      openAi(
        'You exceeded your current quota, please check your plan and billing details.',
        'insufficient_quota',
        'insufficient_quota',
      ),
      'quota_exhausted',
    ],
    [
      429,
      openAi(
        'Rate limit reached for gpt-4o in organization org-x on tokens per min (TPM). Please try again in 850ms.',
        'tokens',
        'rate_limit_exceeded',
      ),
      'rate_limited',
    ],
    [
      400,
      openAi(
        "This model's maximum context length is 128000 tokens.",
        'invalid_request_error',
        'context_length_exceeded',
      ),
      'context_too_long',
    ],
    [
      403,
      openAi(
        'Country, region, or territory not supported',
        'request_forbidden',
        'unsupported_country_region_territory',
      ),
      'permission_denied',
    ],
    [
      400,
      openAi("Invalid value for 'temperature'.", 'invalid_request_error', null),
      'invalid_request',
    ],
    [
      503,
      openAi('The engine is currently overloaded, please try again later', 'server_error', null),
      'overloaded',
    ],
    [
      500,
      openAi('The server had an error while processing your request.', 'server_error', null),
      'provider_error',
    ],
  ] as const)('HTTP %i %j → %s', (status, body, code) => {
    expect(explainOpenAiError(answered(status, body, { model: 'gpt-9' })).code).toBe(code);
  });

  it('reads the wait out of a rate-limit message', () => {
    const error = answered(
      429,
      openAi('Rate limit reached … Please try again in 850ms.', 'tokens', 'rate_limit_exceeded'),
    );
    expect(explainOpenAiError(error)).toMatchObject({
      code: 'rate_limited',
      retryable: true,
      retryAfterSeconds: 1,
      message:
        'OpenAI is limiting how often this key may send requests. Wait 1 second and try again.',
    });
  });

  it('never repeats the key OpenAI echoes in its 401 message', () => {
    const key = 'sk-proj-abcdefghijklmnopqrstuvwxyz0123';
    const problem = explainOpenAiError(
      answered(
        401,
        openAi(`Incorrect API key provided: ${key}.`, 'invalid_request_error', 'invalid_api_key'),
      ),
      { secrets: [key] },
    );
    expect(problem.message).not.toContain('sk-proj');
    expect(problem).toMatchObject({ code: 'invalid_key', status: 401, retryable: false });
  });

  it('quotes a refused request without anything shaped like a key', () => {
    const problem = explainOpenAiError(
      answered(
        400,
        openAi(
          'Bad header Bearer sk-live-0123456789abcdef for ?key=AIzaSecret123456789',
          'invalid_request_error',
          null,
        ),
      ),
    );
    expect(problem.message).toBe(
      'OpenAI refused the request: “Bad header Bearer [key] for ?key=[key]”.',
    );
  });

  it('reads an error event inside a stream (no HTTP status)', () => {
    const part = {
      message: 'The server had an error while processing your request.',
      type: 'server_error',
      code: null,
      data: {
        message: 'The server had an error while processing your request.',
        type: 'server_error',
        code: null,
      },
    };
    expect(explainOpenAiError(part).code).toBe('provider_error');
  });

  it('looks through the retries of generateText / streamText', () => {
    const last = answered(429, openAi('quota', 'insufficient_quota', 'insufficient_quota'));
    const retryError = Object.assign(new Error('Failed after 3 attempts.'), {
      name: 'AI_RetryError',
      errors: [last, last, last],
      lastError: last,
    });
    expect(explainOpenAiError(retryError).code).toBe('quota_exhausted');
  });
});

describe('explainOpenAiCompatibleError', () => {
  it.each([
    [
      'vLLM',
      404,
      {
        object: 'error',
        message: 'The model `llama9` does not exist.',
        type: 'NotFoundError',
        param: null,
        code: 404,
      },
      'model_not_found',
    ],
    [
      'Ollama',
      404,
      {
        error: {
          message: 'model "llama9" not found, try pulling it first',
          type: 'api_error',
          param: null,
          code: null,
        },
      },
      'model_not_found',
    ],
    ['LM Studio', 400, { error: 'Unexpected endpoint or method.' }, 'invalid_request'],
    ['a FastAPI server', 401, { detail: 'Invalid token' }, 'invalid_key'],
    ['a plain-text answer', 404, '404 page not found', 'endpoint_not_found'],
  ] as const)('reads %s’s error shape', (_server, status, body, code) => {
    const error = answered(status, body, {
      model: status === 404 && typeof body !== 'string' ? 'llama9' : undefined,
    });
    expect(explainOpenAiCompatibleError(error, { baseUrl: 'http://10.0.0.5:8000/v1' }).code).toBe(
      code,
    );
  });

  it('names the server by its host', () => {
    const problem = explainOpenAiCompatibleError(answered(500, 'boom'), {
      baseUrl: 'http://gpu-box.internal:8000/v1',
    });
    expect(problem.message).toBe(
      'The server at gpu-box.internal:8000 had a problem on its side (HTTP 500). Try again; if it keeps happening, check the provider’s status page.',
    );
  });
});

describe('explainAnthropicError', () => {
  it.each([
    [401, anthropic('authentication_error', 'invalid x-api-key'), 'invalid_key'],
    [
      403,
      anthropic(
        'permission_error',
        'Your API key does not have permission to use the specified resource.',
      ),
      'permission_denied',
    ],
    [404, anthropic('not_found_error', 'model: claude-9'), 'model_not_found'],
    [
      429,
      anthropic('rate_limit_error', 'This request would exceed the rate limit.'),
      'rate_limited',
    ],
    [529, anthropic('overloaded_error', 'Overloaded'), 'overloaded'],
    [
      400,
      anthropic(
        'invalid_request_error',
        'Your credit balance is too low to access the Anthropic API. Please go to Plans & Billing to upgrade or purchase credits.',
      ),
      'quota_exhausted',
    ],
    [
      400,
      anthropic('invalid_request_error', 'prompt is too long: 210000 tokens > 200000 maximum'),
      'context_too_long',
    ],
    [400, anthropic('invalid_request_error', 'messages: roles must alternate'), 'invalid_request'],
    [500, anthropic('api_error', 'Internal server error'), 'provider_error'],
  ] as const)('HTTP %i %j → %s', (status, body, code) => {
    const error = answered(status, body, {
      model: 'claude-9',
      url: 'https://api.anthropic.com/v1/messages',
    });
    expect(explainAnthropicError(error).code).toBe(code);
  });

  it('reads a stream error event, as the AI SDK passes it on', () => {
    const part = {
      message: 'Overloaded',
      type: 'overloaded_error',
      statusCode: 529,
      isRetryable: true,
      data: { type: 'overloaded_error', message: 'Overloaded' },
    };
    expect(explainAnthropicError(part)).toMatchObject({ code: 'overloaded', retryable: true });
  });

  it('uses the retry-after header', () => {
    const error = answered(429, anthropic('rate_limit_error', 'slow down'), {
      headers: { 'retry-after': '30' },
    });
    expect(explainAnthropicError(error).message).toMatch(/Wait 30 seconds/);
  });
});

describe('explainGoogleError', () => {
  const keyInvalid = google(
    400,
    'INVALID_ARGUMENT',
    'API key not valid. Please pass a valid API key.',
    [{ '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'API_KEY_INVALID' }],
  );
  const url = 'https://generativelanguage.googleapis.com/v1beta/models/gemini-9:generateContent';
  it.each([
    [400, keyInvalid, 'invalid_key'],
    [
      403,
      google(
        403,
        'PERMISSION_DENIED',
        "Method doesn't allow unregistered callers (callers without established identity).",
      ),
      'invalid_key',
    ],
    [
      403,
      google(
        403,
        'PERMISSION_DENIED',
        'Generative Language API has not been used in project 123 before or it is disabled.',
      ),
      'permission_denied',
    ],
    [
      404,
      google(
        404,
        'NOT_FOUND',
        'models/gemini-9 is not found for API version v1beta, or is not supported for generateContent.',
      ),
      'model_not_found',
    ],
    [
      429,
      google(429, 'RESOURCE_EXHAUSTED', 'You exceeded your current quota.', [
        {
          '@type': 'type.googleapis.com/google.rpc.QuotaFailure',
          violations: [{ quotaId: 'GenerateRequestsPerDayPerProjectPerModel-FreeTier' }],
        },
      ]),
      'quota_exhausted',
    ],
    [
      429,
      google(429, 'RESOURCE_EXHAUSTED', 'You exceeded your current quota.', [
        { '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '41s' },
      ]),
      'rate_limited',
    ],
    [
      400,
      google(400, 'FAILED_PRECONDITION', 'User location is not supported for the API use.'),
      'permission_denied',
    ],
    [
      400,
      google(
        400,
        'INVALID_ARGUMENT',
        'The input token count (2000000) exceeds the maximum number of tokens allowed (1048576).',
      ),
      'context_too_long',
    ],
    [
      503,
      google(503, 'UNAVAILABLE', 'The model is overloaded. Please try again later.'),
      'overloaded',
    ],
    [500, google(500, 'INTERNAL', 'An internal error has occurred.'), 'provider_error'],
  ] as const)('HTTP %i %j → %s', (status, body, code) => {
    expect(explainGoogleError(answered(status, body, { url })).code).toBe(code);
  });

  it('reads the model from the URL and the wait from RetryInfo', () => {
    expect(
      explainGoogleError(
        answered(404, google(404, 'NOT_FOUND', 'models/gemini-9 is not found'), { url }),
      ).message,
    ).toMatch(/has no model “gemini-9”/);
    const rate = google(429, 'RESOURCE_EXHAUSTED', 'quota', [
      { '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '41.5s' },
    ]);
    expect(explainGoogleError(answered(429, rate, { url })).retryAfterSeconds).toBe(42);
  });
});

describe('failures with no answer', () => {
  const fetchFailed = (cause: Record<string, unknown>) =>
    new TypeError('fetch failed', { cause: Object.assign(new Error(String(cause.code)), cause) });

  it.each([
    [
      'ENOTFOUND',
      { code: 'ENOTFOUND', hostname: 'api.openai.com' },
      /could not find api\.openai\.com/,
    ],
    [
      'ECONNREFUSED',
      { code: 'ECONNREFUSED' },
      /Nothing answered at api\.openai\.com: the connection was refused/,
    ],
    ['ECONNRESET', { code: 'ECONNRESET' }, /closed the connection/],
    [
      'a certificate',
      { code: 'DEPTH_ZERO_SELF_SIGNED_CERT' },
      /does not trust the TLS certificate/,
    ],
    ['a connect timeout', { code: 'UND_ERR_CONNECT_TIMEOUT' }, /did not answer in time/],
  ] as const)('explains %s', (_what, cause, message) => {
    const problem = explainOpenAiError(fetchFailed(cause), {
      baseUrl: 'https://api.openai.com/v1',
    });
    expect(problem.message).toMatch(message);
    expect(problem.retryable).toBe(true);
  });

  it('looks inside the AI SDK’s "Cannot connect to API" error', () => {
    const wrapped = new APICallError({
      message: 'Cannot connect to API: connect ECONNREFUSED 10.0.0.5:8000',
      url: 'http://10.0.0.5:8000/v1/chat/completions',
      requestBodyValues: {},
      cause: Object.assign(new Error('connect ECONNREFUSED 10.0.0.5:8000'), {
        code: 'ECONNREFUSED',
      }),
      isRetryable: true,
    });
    expect(explainOpenAiCompatibleError(wrapped)).toMatchObject({
      code: 'unreachable',
      message:
        'Nothing answered at 10.0.0.5:8000: the connection was refused. Check that the server is running and listens on that address and port.',
    });
  });

  it('explains PMOS refusing a private address, naming what to allow', () => {
    const refused = new PrivateHostError('ollama.lan:11434', '192.168.1.20', 'private network');
    expect(explainOpenAiCompatibleError(refused)).toEqual({
      code: 'private_host',
      retryable: false,
      message:
        'PMOS did not connect to ollama.lan:11434: ollama.lan:11434 resolves to 192.168.1.20, which is not a public address (private network), and AI providers may only reach public addresses unless the PMOS operator allows the host. To use a server on the PMOS machine or your own network (Ollama, vLLM, LM Studio …), ask the operator to add "ollama.lan:11434" to PMOS_HTTP_PRIVATE_HOSTS and restart PMOS.',
    });
  });

  it('tells a cancelled call from a timeout', () => {
    const abort = new DOMException('This operation was aborted', 'AbortError');
    const timeout = new DOMException('The operation timed out.', 'TimeoutError');
    expect(explainAnthropicError(abort).code).toBe('cancelled');
    expect(explainAnthropicError(timeout).code).toBe('timeout');
  });

  it('says something plain about anything else, without keys', () => {
    const problem = explainOpenAiError(new Error('weird failure near sk-abcdef0123456789'));
    expect(problem).toEqual({
      code: 'unknown',
      retryable: false,
      message: 'OpenAI failed: weird failure near [key].',
    });
  });

  it('passes an already explained error through', () => {
    const explained = new AiProviderError({
      code: 'invalid_base_url',
      message: 'x',
      retryable: false,
    });
    expect(explainGoogleError(explained)).toBe(explained.problem);
  });
});

describe('explainProviderError', () => {
  it('uses the family it is given', () => {
    const error = answered(404, { error: { message: 'Not Found' } }, { model: 'm' });
    expect(explainProviderError(error, { family: 'anthropic' }).message).toMatch(/^Anthropic /);
  });

  it('guesses the family from the error shape when not told', () => {
    expect(guessProviderFamily(answered(401, anthropic('authentication_error', 'x')))).toBe(
      'anthropic',
    );
    expect(guessProviderFamily({ type: 'overloaded_error', message: 'Overloaded' })).toBe(
      'anthropic',
    );
    expect(guessProviderFamily(answered(400, google(400, 'INVALID_ARGUMENT', 'x')))).toBe('google');
    expect(
      guessProviderFamily(answered(401, openAi('x', 'invalid_request_error', 'invalid_api_key'))),
    ).toBe('openai');
    expect(
      explainProviderError(answered(529, anthropic('overloaded_error', 'Overloaded'))),
    ).toMatchObject({
      code: 'overloaded',
    });
  });
});

describe('redactSecrets', () => {
  it('removes the given secrets and key-shaped text', () => {
    expect(
      redactSecrets('key my-own-secret-value, sk-ant-api03-abc_DEF-123, AIzaSyA1b2C3d4E5f6G7h8', [
        'my-own-secret-value',
      ]),
    ).toBe('key [key], [key], [key]');
  });
});

import { APICallError } from '@ai-sdk/provider';
import { AiProviderError, type AiProviderFamily } from './errors.js';
import { describeProblem } from './explain/describe.js';
import { type ExplainContext, serviceName } from './explain/explain.js';
import { parseJson } from './explain/failure.js';
import { explainProviderError } from './explain/provider-error.js';

/** What a listing request needs from the provider context. */
export interface HttpContext {
  http: typeof fetch;
  signal: AbortSignal;
}

/**
 * GETs one JSON document from a provider (a page of its models) through `ctx.http`, and
 * turns every failure into an `AiProviderError` explained in the family's terms. `read`
 * checks the shape; undefined means the answer is not the API's.
 */
export async function getProviderJson<T>(
  ctx: HttpContext,
  request: { url: string; headers: Record<string, string> },
  explain: ExplainContext & { family: AiProviderFamily },
  read: (body: unknown) => T | undefined,
): Promise<T> {
  let response: Response;
  let text: string;
  try {
    response = await ctx.http(request.url, {
      headers: { accept: 'application/json', ...request.headers },
      signal: ctx.signal,
    });
    text = await response.text();
  } catch (error) {
    throw new AiProviderError(explainProviderError(error, explain), { cause: error });
  }
  if (!response.ok) {
    // The same error the AI SDK raises for a model call, so one explainer reads both.
    const failure = new APICallError({
      message: `${response.status} ${response.statusText}`.trim(),
      url: request.url,
      requestBodyValues: undefined,
      statusCode: response.status,
      responseHeaders: Object.fromEntries(response.headers),
      responseBody: text,
    });
    throw new AiProviderError(explainProviderError(failure, explain), { cause: failure });
  }
  const value = read(parseJson(text));
  if (value === undefined) {
    const url = new URL(request.url);
    throw new AiProviderError(
      describeProblem('invalid_response', {
        family: explain.family,
        service: explain.service ?? serviceName(explain.family, explain.baseUrl),
        where: `${url.host}${url.pathname}`,
      }),
    );
  }
  return value;
}

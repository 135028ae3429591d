import { defineAction, prop } from '@pmos/sdk/server';

export const httpMethods = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD'] as const;
export type HttpMethod = (typeof httpMethods)[number];

export const maxTimeoutSeconds = 300;
const excerptLength = 200;

export interface HttpResponseOutput {
  status: number;
  /** Header names in lower case; repeated headers joined with ", ". */
  headers: Record<string, string>;
  /** Parsed JSON, text, a file (`{ filename, mimeType, base64 }`) for binary content, or null. */
  body: unknown;
}

/** The server answered with a status outside 200–299 and the step was told to fail on it. */
export class HttpStatusError extends Error {
  readonly code = 'http_error_status';
  constructor(
    readonly status: number,
    readonly statusText: string,
    readonly target: string,
    readonly bodyExcerpt: string,
  ) {
    super(
      `HTTP ${status}${statusText ? ` ${statusText}` : ''} from ${target}` +
        (bodyExcerpt ? `: ${bodyExcerpt}` : ''),
    );
    this.name = 'HttpStatusError';
  }
}

/** The server did not answer (headers and body) within the step's time limit. */
export class HttpTimeoutError extends Error {
  readonly code = 'http_timeout';
  constructor(
    readonly target: string,
    readonly seconds: number,
  ) {
    super(
      `${target} did not answer within ${seconds} s: raise "Timeout (seconds)" (at most ${maxTimeoutSeconds}) or check that the server is up.`,
    );
    this.name = 'HttpTimeoutError';
  }
}

/** A response that is not what the step was told to expect. */
export class HttpResponseTypeError extends Error {
  readonly code = 'http_response_not_json';
  constructor(message: string) {
    super(message);
    this.name = 'HttpResponseTypeError';
  }
}

/** Inputs that cannot make a request, named plainly. */
export class HttpRequestInputError extends Error {
  readonly code = 'invalid_http_request';
  constructor(message: string) {
    super(message);
    this.name = 'HttpRequestInputError';
  }
}

export const httpRequest = defineAction({
  id: 'http_request',
  displayName: 'HTTP request',
  description:
    'Sends an HTTP request to any public URL and returns the status, headers and body. ' +
    'Private and local addresses are refused unless the PMOS operator allows them.',
  risk: 'write',
  props: {
    method: prop.staticDropdown({
      displayName: 'Method',
      required: true,
      defaultValue: 'GET',
      options: { options: httpMethods.map((m) => ({ label: m, value: m })) },
    }),
    url: prop.shortText({
      displayName: 'URL',
      description: 'An http:// or https:// address, e.g. https://api.example.com/v1/orders.',
      required: true,
    }),
    headers: prop.object({
      displayName: 'Headers',
      description: 'Header names and values, e.g. Authorization: Bearer …',
    }),
    queryParams: prop.object({
      displayName: 'Query parameters',
      description: 'Added to the URL; a list value repeats the parameter.',
    }),
    bodyType: prop.staticDropdown({
      displayName: 'Body type',
      required: true,
      defaultValue: 'none',
      options: {
        options: [
          { label: 'None', value: 'none' },
          { label: 'JSON', value: 'json' },
          { label: 'Text', value: 'text' },
          { label: 'Form (URL-encoded)', value: 'form' },
        ],
      },
    }),
    body: prop.json({
      displayName: 'Body',
      description:
        'JSON: any value. Text: a string. Form: an object of fields, e.g. {"name": "Ada"}.',
    }),
    timeoutSeconds: prop.number({
      displayName: 'Timeout (seconds)',
      description: `How long to wait for the whole answer, at most ${maxTimeoutSeconds}.`,
      required: true,
      defaultValue: 30,
    }),
    failOnError: prop.checkbox({
      displayName: 'Fail on HTTP error status',
      description: 'Stop the flow when the status is not 2xx; off, the step returns it.',
      required: true,
      defaultValue: true,
    }),
    responseType: prop.staticDropdown({
      displayName: 'Response type',
      description:
        'Auto reads JSON and text by their Content-Type, and returns other content as a file.',
      required: true,
      defaultValue: 'auto',
      options: {
        options: [
          { label: 'Auto', value: 'auto' },
          { label: 'JSON', value: 'json' },
          { label: 'Text', value: 'text' },
        ],
      },
    }),
  },
  sampleOutput: {
    status: 200,
    headers: { 'content-type': 'application/json; charset=utf-8' },
    body: { id: 'ord_1042', status: 'paid', total: 129.5 },
  } satisfies HttpResponseOutput,
  async run(ctx): Promise<HttpResponseOutput> {
    const { method, bodyType, responseType, failOnError } = ctx.props;
    const url = requestUrl(ctx.props.url, ctx.props.queryParams);
    const seconds = timeoutOf(ctx.props.timeoutSeconds);
    const headers = requestHeaders(ctx.props.headers);
    const body = requestBody(method, bodyType, ctx.props.body, headers);
    // Secrets often ride in query strings: messages name the address without it.
    const target = `${method} ${url.origin}${url.pathname}`;

    const timeout = AbortSignal.timeout(seconds * 1000);
    const signal = AbortSignal.any([ctx.signal, timeout]);
    try {
      const response = await ctx.http(url, { method, headers, body, signal });
      if (failOnError && !response.ok) {
        const text = method === 'HEAD' ? '' : await response.text();
        throw new HttpStatusError(response.status, response.statusText, target, excerpt(text));
      }
      return {
        status: response.status,
        headers: responseHeaders(response.headers),
        body: await readBody(response, method, responseType, url),
      };
    } catch (error) {
      if (timeout.aborted && !ctx.signal.aborted) throw new HttpTimeoutError(target, seconds);
      throw error;
    }
  },
});

function requestUrl(text: string, query: Record<string, unknown> | undefined): URL {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    throw new HttpRequestInputError(
      `"${text}" is not a URL: write the whole address, like https://api.example.com/v1/orders.`,
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new HttpRequestInputError(
      `The URL must start with http:// or https:// (got ${url.protocol}).`,
    );
  }
  for (const [name, value] of Object.entries(query ?? {})) {
    for (const item of Array.isArray(value) ? value : [value]) {
      if (item === undefined || item === null) continue;
      url.searchParams.append(name, asText(item));
    }
  }
  return url;
}

function timeoutOf(seconds: number): number {
  if (!Number.isFinite(seconds) || seconds <= 0 || seconds > maxTimeoutSeconds) {
    throw new HttpRequestInputError(
      `The timeout is a number of seconds above 0 and at most ${maxTimeoutSeconds} (got ${seconds}).`,
    );
  }
  return seconds;
}

function requestHeaders(given: Record<string, unknown> | undefined): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(given ?? {})) {
    if (value === undefined || value === null) continue;
    try {
      headers.set(name.trim(), asText(value));
    } catch {
      throw new HttpRequestInputError(`"${name}" cannot be sent as a header name or value.`);
    }
  }
  return headers;
}

function requestBody(
  method: HttpMethod,
  bodyType: 'none' | 'json' | 'text' | 'form',
  body: unknown,
  headers: Headers,
): RequestInit['body'] {
  if (bodyType === 'none') return undefined;
  if (method === 'GET' || method === 'HEAD') {
    throw new HttpRequestInputError(
      `A ${method} request has no body: set "Body type" to None, or choose POST, PUT, PATCH or DELETE.`,
    );
  }
  const contentType = (value: string) => {
    if (!headers.has('content-type')) headers.set('content-type', value);
  };
  switch (bodyType) {
    case 'json':
      contentType('application/json');
      return JSON.stringify(body ?? null);
    case 'text':
      contentType('text/plain; charset=utf-8');
      return body === undefined || body === null ? '' : asText(body);
    case 'form': {
      contentType('application/x-www-form-urlencoded');
      if (typeof body === 'string') return body; // already encoded
      if (body === undefined || body === null) return '';
      if (typeof body !== 'object' || Array.isArray(body)) {
        throw new HttpRequestInputError(
          'A form body is an object of fields, like {"name": "Ada", "plan": "pro"}.',
        );
      }
      const form = new URLSearchParams();
      for (const [name, value] of Object.entries(body)) {
        for (const item of Array.isArray(value) ? value : [value]) {
          if (item !== undefined && item !== null) form.append(name, asText(item));
        }
      }
      return form.toString();
    }
  }
}

function asText(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function responseHeaders(headers: Headers): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of headers) {
    out[name] = out[name] === undefined ? value : `${out[name]}, ${value}`;
  }
  return out;
}

async function readBody(
  response: Response,
  method: HttpMethod,
  responseType: 'auto' | 'json' | 'text',
  url: URL,
): Promise<unknown> {
  if (method === 'HEAD' || response.status === 204 || response.status === 304) {
    await response.body?.cancel();
    return null;
  }
  const type = (response.headers.get('content-type') ?? '').toLowerCase();
  if (responseType === 'auto' && isBinary(type)) {
    const bytes = Buffer.from(await response.arrayBuffer());
    return {
      filename: filenameOf(response.headers.get('content-disposition'), url),
      mimeType: type.split(';')[0]?.trim() || 'application/octet-stream',
      base64: bytes.toString('base64'),
    };
  }
  const text = await response.text();
  if (responseType === 'text') return text;
  if (responseType === 'json') {
    if (text.trim() === '') return null;
    try {
      return JSON.parse(text);
    } catch {
      throw new HttpResponseTypeError(
        `The response is not JSON (status ${response.status}): ${excerpt(text)} — choose "Text" or "Auto" as the response type.`,
      );
    }
  }
  if (/[/+]json\b/.test(type) && text.trim() !== '') {
    try {
      return JSON.parse(text);
    } catch {
      return text; // a server that says JSON and sends something else: show what it sent
    }
  }
  return text;
}

/** Content that is not text: images, audio, video, archives, PDFs, octet streams. */
function isBinary(contentType: string): boolean {
  if (contentType === '') return false;
  if (
    /^text\/|[/+](json|xml)\b|javascript|x-www-form-urlencoded|graphql|yaml|csv/.test(contentType)
  ) {
    return false;
  }
  return /^(image|audio|video|font)\/|^application\/(octet-stream|pdf|zip|gzip|x-)/.test(
    contentType,
  );
}

function filenameOf(disposition: string | null, url: URL): string {
  const quoted = disposition?.match(/filename\*?=(?:UTF-8'')?"?([^";]+)"?/i)?.[1];
  if (quoted) {
    try {
      return decodeURIComponent(quoted);
    } catch {
      return quoted;
    }
  }
  const last = url.pathname.split('/').filter(Boolean).pop();
  if (!last) return 'response';
  try {
    return decodeURIComponent(last);
  } catch {
    return last;
  }
}

/** A one-line start of a body, for an error message. */
function excerpt(body: string): string {
  const text = body.replace(/\s+/g, ' ').trim();
  return text.length > excerptLength ? `${text.slice(0, excerptLength)}…` : text;
}

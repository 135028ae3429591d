import { type BoundFetchOptions, boundFetch } from '../server/bound-fetch.js';
import type { HostResolver } from '../server/public-host.js';

/** One request a plugin made through `ctx.http`, as the harness saw it. */
export interface RecordedRequest {
  method: string;
  url: string;
  /** Header names in lower case. */
  headers: Record<string, string>;
  /** The body parsed as JSON when it is JSON, else the text; undefined without a body. */
  body: unknown;
}

export interface FakeRequest extends RecordedRequest {
  request: Request;
  query: URLSearchParams;
}

/** Answers a fake request: a Response, or any other value sent as JSON with status 200. */
export type FakeHandler = (request: FakeRequest) => unknown | Promise<unknown>;

/**
 * Routes keyed by `"METHOD https://host/path"` (no query string), e.g.
 * `{ 'GET https://api.github.com/user': () => ({ login: 'ada' }) }`, or one function for all.
 */
export type FakeRoutes = Record<string, FakeHandler> | FakeHandler;

export interface FakeHttp {
  fetch: typeof fetch;
  calls: RecordedRequest[];
}

/** A JSON response with a status, for handlers that answer an error or a 201. */
export function jsonResponse(
  body: unknown,
  status = 200,
  headers: Record<string, string> = {},
): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', ...headers },
  });
}

/**
 * Tests never ask DNS: with `*` declared, every host name counts as resolving to this public
 * address unless the test passes its own `resolveHost`. IP literals are judged as they are.
 */
export const publicTestResolver: HostResolver = async () => ['93.184.215.14'];

export interface FakeHttpOptions extends BoundFetchOptions {
  /** The plugin's declared hosts (`pkg.pmos.permissions.hosts`); others are refused. */
  hosts?: readonly string[];
}

/** `boundFetch` as the harness applies it: no real DNS unless a test asks for it. */
export function testBoundFetch(base: typeof fetch, options: FakeHttpOptions): typeof fetch {
  if (!options.hosts) return base;
  return boundFetch(options.hosts, base, {
    privateHostsAllowed: options.privateHostsAllowed,
    resolveHost: options.resolveHost ?? publicTestResolver,
  });
}

/**
 * A fake of the outside service a plugin talks to. Every request is recorded; a request no
 * route answers fails the test loudly instead of reaching the network. With `hosts`, the
 * same host rule as in PMOS applies, so a missing `permissions.hosts` entry shows up here —
 * and with `*`, so does a request to a host that is not public.
 */
export function fakeHttp(routes: FakeRoutes, options: FakeHttpOptions = {}): FakeHttp {
  const calls: RecordedRequest[] = [];
  const answer: typeof fetch = async (input, init) => {
    const request = new Request(input, init);
    const text = request.body ? await request.text() : undefined;
    const url = new URL(request.url);
    const recorded: RecordedRequest = {
      method: request.method,
      url: request.url,
      headers: Object.fromEntries([...request.headers].map(([k, v]) => [k.toLowerCase(), v])),
      body: parseBody(text),
    };
    calls.push(recorded);
    const key = `${request.method} ${url.origin}${url.pathname}`;
    const handler = typeof routes === 'function' ? routes : routes[key];
    if (!handler) {
      throw new Error(
        `fakeHttp has no route for ${key}; known routes: ${Object.keys(routes).join(', ') || 'none'}`,
      );
    }
    const result = await handler({ ...recorded, request, query: url.searchParams });
    return result instanceof Response ? result : jsonResponse(result);
  };
  return { fetch: testBoundFetch(answer, options), calls };
}

function parseBody(text: string | undefined): unknown {
  if (text === undefined || text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

import { PrivateHostError } from '@pmos/sdk/server';
import { fakeHttp, type HarnessOptions, jsonResponse, runAction } from '@pmos/sdk/testing';
import { describe, expect, it } from 'vitest';
import pkg from '../../package.json' with { type: 'json' };
import {
  HttpRequestInputError,
  HttpResponseTypeError,
  HttpStatusError,
  HttpTimeoutError,
  httpRequest,
} from './http-request.js';

/** Every test runs under the plugin's declared rule: `*`, public hosts only. */
const hosts = pkg.pmos.permissions.hosts;
const API = 'https://api.shop.example';

const run = (props: Record<string, unknown>, http: HarnessOptions<never>['http']) =>
  runAction(httpRequest, { props, hosts, http });

describe('http_request: requests', () => {
  it('sends a GET with query parameters and headers, and reads a JSON answer', async () => {
    const http = fakeHttp({
      [`GET ${API}/v1/orders`]: () =>
        jsonResponse([{ id: 'ord_1' }], 200, { 'x-total-count': '1' }),
    });
    const result = await run(
      {
        method: 'GET',
        url: `${API}/v1/orders?status=paid`,
        headers: { Authorization: 'Bearer shop_k1', 'X-Page-Size': 50 },
        queryParams: { customer: 'ada@example.com', tag: ['vip', 'eu'], limit: 10, empty: null },
      },
      http,
    );
    expect(result.output).toEqual({
      status: 200,
      headers: { 'content-type': 'application/json', 'x-total-count': '1' },
      body: [{ id: 'ord_1' }],
    });
    expect(http.calls).toEqual([
      {
        method: 'GET',
        url: `${API}/v1/orders?status=paid&customer=ada%40example.com&tag=vip&tag=eu&limit=10`,
        headers: { authorization: 'Bearer shop_k1', 'x-page-size': '50' },
        body: undefined,
      },
    ]);
  });

  it('sends a JSON body with its content type', async () => {
    const http = fakeHttp({
      [`POST ${API}/v1/orders`]: ({ body }) =>
        jsonResponse({ id: 'ord_2', ...(body as object) }, 201),
    });
    const result = await run(
      {
        method: 'POST',
        url: `${API}/v1/orders`,
        bodyType: 'json',
        body: { sku: 'A-1', qty: 2 },
      },
      http,
    );
    expect(result.output).toMatchObject({ status: 201, body: { id: 'ord_2', sku: 'A-1', qty: 2 } });
    expect(http.calls[0]).toMatchObject({
      headers: { 'content-type': 'application/json' },
      body: { sku: 'A-1', qty: 2 },
    });
  });

  it('sends text and form bodies, keeping a content type the step sets', async () => {
    const http = fakeHttp(({ request }) => new Response(request.headers.get('content-type')));
    const text = await run(
      { method: 'PUT', url: `${API}/notes/1`, bodyType: 'text', body: 'Hello, Ada' },
      http,
    );
    expect(text.output.body).toBe('text/plain; charset=utf-8');
    const form = await run(
      {
        method: 'PATCH',
        url: `${API}/profile`,
        bodyType: 'form',
        body: { name: 'Ada Lovelace', tags: ['math', 'poetry'], age: 36 },
      },
      http,
    );
    expect(form.output.body).toBe('application/x-www-form-urlencoded');
    const csv = await run(
      {
        method: 'POST',
        url: `${API}/import`,
        headers: { 'Content-Type': 'text/csv' },
        bodyType: 'text',
        body: 'sku,qty\nA-1,2',
      },
      http,
    );
    expect(csv.output.body).toBe('text/csv');
    expect(http.calls.map((c) => c.body)).toEqual([
      'Hello, Ada',
      'name=Ada+Lovelace&tags=math&tags=poetry&age=36',
      'sku,qty\nA-1,2',
    ]);
  });

  it('sends DELETE, and HEAD without reading a body', async () => {
    const http = fakeHttp({
      [`DELETE ${API}/v1/orders/1`]: () => new Response(null, { status: 204 }),
      [`HEAD ${API}/v1/orders/1`]: () =>
        new Response(null, { status: 200, headers: { etag: '"v7"' } }),
    });
    expect((await run({ method: 'DELETE', url: `${API}/v1/orders/1` }, http)).output).toEqual({
      status: 204,
      headers: {},
      body: null,
    });
    expect((await run({ method: 'HEAD', url: `${API}/v1/orders/1` }, http)).output).toEqual({
      status: 200,
      headers: { etag: '"v7"' },
      body: null,
    });
  });

  it('uses GET, no body, 30 s, failing on errors and reading by content type by default', () => {
    expect(httpRequest.props.method.defaultValue).toBe('GET');
    expect(httpRequest.props.bodyType.defaultValue).toBe('none');
    expect(httpRequest.props.timeoutSeconds.defaultValue).toBe(30);
    expect(httpRequest.props.failOnError.defaultValue).toBe(true);
    expect(httpRequest.props.responseType.defaultValue).toBe('auto');
    expect(httpRequest.risk).toBe('write');
  });
});

describe('http_request: responses', () => {
  const answer = (body: string | Uint8Array, contentType: string) =>
    fakeHttp(() => new Response(body, { headers: { 'content-type': contentType } }));

  it('reads text, JSON and files by content type in auto', async () => {
    expect(
      (await run({ url: `${API}/page` }, answer('<h1>Hi</h1>', 'text/html'))).output.body,
    ).toBe('<h1>Hi</h1>');
    expect(
      (await run({ url: `${API}/p` }, answer('{"a":1}', 'application/problem+json'))).output.body,
    ).toEqual({ a: 1 });
    // A server that says JSON and sends something else: what it sent, as text.
    expect((await run({ url: `${API}/x` }, answer('oops', 'application/json'))).output.body).toBe(
      'oops',
    );
    const png = await run(
      { url: `${API}/files/logo%20v2.png` },
      answer(new Uint8Array([0x89, 0x50, 0x4e, 0x47]), 'image/png'),
    );
    expect(png.output.body).toEqual({
      filename: 'logo v2.png',
      mimeType: 'image/png',
      base64: 'iVBORw==',
    });
  });

  it('reads as the step says with response type json or text', async () => {
    expect(
      (await run({ url: `${API}/j`, responseType: 'json' }, answer('[1,2]', 'text/plain'))).output
        .body,
    ).toEqual([1, 2]);
    expect(
      (await run({ url: `${API}/t`, responseType: 'text' }, answer('{"a":1}', 'application/json')))
        .output.body,
    ).toBe('{"a":1}');
    await expect(
      run({ url: `${API}/h`, responseType: 'json' }, answer('<html>', 'text/html')),
    ).rejects.toThrow(HttpResponseTypeError);
  });

  it('fails on an error status with the status and the start of the body, without the query', async () => {
    const http = fakeHttp(() => jsonResponse({ error: 'not_found', message: 'No order 9' }, 404));
    const failing = run({ url: `${API}/v1/orders/9?api_key=secret123` }, http);
    await expect(failing).rejects.toBeInstanceOf(HttpStatusError);
    await expect(failing).rejects.toThrow(
      `HTTP 404 from GET ${API}/v1/orders/9: {"error":"not_found","message":"No order 9"}`,
    );
    await expect(failing).rejects.not.toThrow(/secret123/);
  });

  it('keeps the excerpt to one short line', async () => {
    const long = `<html>\n  <body>${'x'.repeat(500)}</body>\n</html>`;
    const http = fakeHttp(() => new Response(long, { status: 502, statusText: 'Bad Gateway' }));
    const error = await run({ method: 'POST', url: `${API}/hook` }, http).catch((e) => e);
    expect(error).toMatchObject({ code: 'http_error_status', status: 502 });
    expect(error.message).toMatch(
      /^HTTP 502 Bad Gateway from POST https:\/\/api\.shop\.example\/hook: <html> <body>x+…$/,
    );
    expect(error.message).not.toContain('\n');
    expect(error.bodyExcerpt).toHaveLength(201);
  });

  it('returns an error status when told not to fail', async () => {
    const http = fakeHttp(() => jsonResponse({ error: 'busy' }, 503, { 'retry-after': '30' }));
    const result = await run({ url: `${API}/v1`, failOnError: false }, http);
    expect(result.output).toEqual({
      status: 503,
      headers: { 'content-type': 'application/json', 'retry-after': '30' },
      body: { error: 'busy' },
    });
  });
});

describe('http_request: time limits and cancellation', () => {
  /** A server that never answers, until the request is aborted. */
  const silent = () =>
    fakeHttp(
      ({ request }) =>
        new Promise((_, reject) =>
          request.signal.addEventListener('abort', () => reject(request.signal.reason)),
        ),
    );

  it('gives up after the timeout with a clear message', async () => {
    const started = Date.now();
    const failing = run({ url: `${API}/slow?token=t`, timeoutSeconds: 0.05 }, silent());
    await expect(failing).rejects.toBeInstanceOf(HttpTimeoutError);
    await expect(failing).rejects.toThrow(
      `GET ${API}/slow did not answer within 0.05 s: raise "Timeout (seconds)" (at most 300) or check that the server is up.`,
    );
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('stops when the run is cancelled, and says so rather than "timeout"', async () => {
    const controller = new AbortController();
    const running = runAction(httpRequest, {
      props: { url: `${API}/slow` },
      hosts,
      http: silent(),
      signal: controller.signal,
    });
    setTimeout(() => controller.abort(new Error('The run was cancelled.')), 20);
    await expect(running).rejects.toThrow('The run was cancelled.');
  });
});

describe('http_request: inputs and the network rule', () => {
  const never = fakeHttp({});

  it.each([
    [{ url: 'api.shop.example/v1' }, '"api.shop.example/v1" is not a URL'],
    [{ url: 'ftp://files.example/x' }, 'The URL must start with http:// or https:// (got ftp:)'],
    [
      { url: `${API}/x`, bodyType: 'json', body: { a: 1 } },
      'A GET request has no body: set "Body type" to None',
    ],
    [
      { method: 'POST', url: `${API}/x`, bodyType: 'form', body: [1, 2] },
      'A form body is an object of fields',
    ],
    [{ url: `${API}/x`, timeoutSeconds: 301 }, 'at most 300 (got 301)'],
    [{ url: `${API}/x`, timeoutSeconds: 0 }, 'above 0 and at most 300 (got 0)'],
  ])('refuses %o before sending anything', async (props, message) => {
    const failing = run(props, never);
    await expect(failing).rejects.toBeInstanceOf(HttpRequestInputError);
    await expect(failing).rejects.toThrow(message);
    expect(never.calls).toEqual([]);
  });

  it('refuses loopback, private and metadata addresses', async () => {
    for (const url of [
      'http://127.0.0.1:3000/api/admin',
      'http://169.254.169.254/latest/meta-data/',
      'http://[::1]/',
      'http://10.0.0.5/',
    ]) {
      await expect(run({ url }, never)).rejects.toBeInstanceOf(PrivateHostError);
    }
    await expect(
      runAction(httpRequest, {
        props: { url: 'http://db.internal:5432/' },
        hosts,
        http: never,
        resolveHost: async () => ['10.1.2.3'],
      }),
    ).rejects.toThrow(/^db\.internal:5432 resolves to 10\.1\.2\.3, not a public address/);
    expect(never.calls).toEqual([]);
  });

  it('reaches a private host the operator allowed', async () => {
    const result = await runAction(httpRequest, {
      props: { url: 'http://ollama.lan:11434/api/tags' },
      hosts,
      http: () => ({ models: [] }),
      resolveHost: async () => ['192.168.1.20'],
      privateHostsAllowed: ['ollama.lan:11434'],
    });
    expect(result.output.body).toEqual({ models: [] });
  });
});

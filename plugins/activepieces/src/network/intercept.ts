import http, { type ClientRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import https from 'node:https';
import { syncBuiltinESMExports } from 'node:module';
import { type Duplex, duplexPair } from 'node:stream';
import { currentPieceScope, type PieceNetworkScope, sendThroughScope } from './scope.js';

/**
 * Pieces bring their own HTTP clients (axios through `httpClient`, `fetch`, others built on
 * node:http), each copy bundled or pinned per piece, so `ctx.http` cannot be handed to them.
 * Instead, while a piece call runs (an AsyncLocalStorage scope), the process-wide entry
 * points — `globalThis.fetch`, `http.request/get`, `https.request/get` — send the request
 * through the call's scope. Outside a piece call they are the untouched originals.
 *
 * A node:http request is kept a real ClientRequest (events, timeouts, streaming bodies,
 * redirects as its client handles them): its socket is one end of an in-memory stream pair,
 * whose other end an in-process HTTP server (never listening on a port) reads. That server
 * forwards each request through the scope and writes the answer back.
 */

type Target = { origin: string; scope: PieceNetworkScope };
const targetOf = new WeakMap<Duplex, Target>();

type AnyRequest = (...args: RequestArgs) => ClientRequest;

const original = {
  fetch: globalThis.fetch,
  httpRequest: http.request as unknown as AnyRequest,
  httpsRequest: https.request as unknown as AnyRequest,
};

let installed = false;

/** Installs the routing once per process; idempotent. */
export function installPieceNetwork(): void {
  if (installed) return;
  installed = true;
  const bridge = http.createServer((req, res) => void forward(req, res));
  globalThis.fetch = routedFetch;
  const httpRequest = routed('http:', original.httpRequest, bridge);
  const httpsRequest = routed('https:', original.httpsRequest, bridge);
  http.request = httpRequest as unknown as typeof http.request;
  http.get = getOf(httpRequest) as unknown as typeof http.get;
  https.request = httpsRequest as unknown as typeof https.request;
  https.get = getOf(httpsRequest) as unknown as typeof https.get;
  // `import { request } from 'node:https'` sees the routed functions too.
  syncBuiltinESMExports();
}

const routedFetch: typeof fetch = (input, init) => {
  const scope = currentPieceScope();
  if (!scope) return original.fetch(input, init);
  return sendThroughScope(scope, new Request(input, init));
};

type RequestArgs = [
  url: string | URL | http.RequestOptions,
  options?: http.RequestOptions | ((res: IncomingMessage) => void),
  callback?: (res: IncomingMessage) => void,
];

function routed(
  protocol: 'http:' | 'https:',
  passThrough: AnyRequest,
  bridge: http.Server,
): AnyRequest {
  return (...args: RequestArgs): ClientRequest => {
    const scope = currentPieceScope();
    if (!scope) return passThrough(...args);
    const { url, options, callback } = normalise(protocol, args);
    const [clientSide, serverSide] = duplexPair();
    socketLike(clientSide);
    socketLike(serverSide);
    targetOf.set(serverSide, { origin: url.origin, scope });
    const { agent: _agent, createConnection: _create, protocol: _p, ...rest } = options;
    const request = original.httpRequest(
      {
        ...rest,
        protocol: 'http:',
        hostname: url.hostname,
        port: url.port || (protocol === 'https:' ? 443 : 80),
        path: `${url.pathname}${url.search}`,
        agent: undefined,
        createConnection: () => clientSide as unknown as import('node:net').Socket,
      },
      callback,
    );
    bridge.emit('connection', serverSide);
    // The bridge answers a refused request by failing the client's socket with the reason.
    serverSide.on('pmos-refused', (error: Error) => clientSide.destroy(error));
    return request;
  };
}

function getOf(request: AnyRequest): AnyRequest {
  return (...args: RequestArgs): ClientRequest => {
    const req = request(...args);
    req.end();
    return req;
  };
}

/** The URL and options of any of node:http's call forms. */
function normalise(
  protocol: 'http:' | 'https:',
  [first, second, third]: RequestArgs,
): { url: URL; options: http.RequestOptions; callback?: (res: IncomingMessage) => void } {
  let url: URL | undefined;
  let options: http.RequestOptions = {};
  let callback: ((res: IncomingMessage) => void) | undefined;
  if (typeof first === 'string' || first instanceof URL) {
    url = new URL(first);
    if (typeof second === 'function') callback = second;
    else {
      options = second ?? {};
      callback = third;
    }
  } else {
    options = first;
    callback = typeof second === 'function' ? second : third;
  }
  const scheme = options.protocol ?? url?.protocol ?? protocol;
  const host =
    options.hostname ?? options.host?.replace(/:\d+$/, '') ?? url?.hostname ?? 'localhost';
  const port = options.port ?? (url?.port || undefined);
  const path = options.path ?? (url ? `${url.pathname}${url.search}` : '/');
  const bracketed = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  const target = new URL(`${scheme}//${bracketed}${port ? `:${port}` : ''}`);
  const full = new URL(path, target);
  return { url: full, options, callback };
}

/** What http's client and server ask of a socket beyond a stream. */
function socketLike(stream: Duplex): void {
  let timer: NodeJS.Timeout | undefined;
  Object.assign(stream, {
    setKeepAlive: () => stream,
    setNoDelay: () => stream,
    ref: () => stream,
    unref: () => stream,
    setTimeout(ms: number, onTimeout?: () => void) {
      clearTimeout(timer);
      if (onTimeout) stream.once('timeout', onTimeout);
      if (ms > 0) timer = setTimeout(() => stream.emit('timeout'), ms).unref();
      return stream;
    },
    remoteAddress: '127.0.0.1',
    remotePort: 0,
    localAddress: '127.0.0.1',
    localPort: 0,
    encrypted: false,
  });
  stream.once('close', () => clearTimeout(timer));
}

const hopByHop = new Set([
  'host',
  'connection',
  'keep-alive',
  'transfer-encoding',
  'content-length',
  'proxy-connection',
  'proxy-authorization',
  'te',
  'upgrade',
]);

/** The bridge's handler: one request of a piece, sent through its scope, answered back. */
async function forward(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const socket = req.socket as unknown as Duplex;
  const target = targetOf.get(socket);
  if (!target) {
    res.writeHead(500).end();
    return;
  }
  try {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const headers = new Headers();
    for (let i = 0; i < req.rawHeaders.length; i += 2) {
      const name = req.rawHeaders[i] ?? '';
      if (!hopByHop.has(name.toLowerCase())) headers.append(name, req.rawHeaders[i + 1] ?? '');
    }
    const method = req.method ?? 'GET';
    const body =
      chunks.length > 0 && method !== 'GET' && method !== 'HEAD'
        ? Buffer.concat(chunks)
        : undefined;
    const response = await sendThroughScope(
      target.scope,
      new Request(`${target.origin}${req.url ?? '/'}`, {
        method,
        headers,
        body,
        redirect: 'manual',
      }),
    );
    // fetch has decoded the body already: drop the encoding and length that described it.
    const out: Record<string, string | string[]> = {};
    response.headers.forEach((value, name) => {
      if (
        !['content-encoding', 'content-length', 'transfer-encoding', 'connection'].includes(name)
      ) {
        out[name] = value;
      }
    });
    const cookies = response.headers.getSetCookie();
    if (cookies.length > 0) out['set-cookie'] = cookies;
    res.writeHead(response.status, response.statusText, out);
    if (response.body) for await (const chunk of response.body) res.write(chunk);
    res.end();
  } catch (error) {
    socket.emit('pmos-refused', error instanceof Error ? error : new Error(String(error)));
  }
}

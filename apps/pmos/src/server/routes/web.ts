import { existsSync } from 'node:fs';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { errorBody } from '../errors.js';

/** Paths owned by the API and machine endpoints: never answered with the web app. */
const machinePrefixes = ['/api/', '/hooks/', '/plugins/'];

/**
 * What the web app's pages may load: only this server's own scripts, styles, fonts, images
 * and API (plugin panels come from `/plugins/…` here too). Inline scripts, other origins,
 * plugins and framing are refused, so injected markup cannot run code. Inline styles stay
 * allowed: the canvas and React set `style` attributes.
 */
export const webAppContentSecurityPolicy = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * Serves the built React app. Unknown extension-less paths get `index.html` (client-side
 * routes); unknown API paths and missing files get a real JSON 404.
 */
export async function registerWebApp(app: FastifyInstance, webRoot: string): Promise<void> {
  const built = existsSync(join(webRoot, 'index.html'));
  if (built) {
    await app.register(fastifyStatic, { root: webRoot, wildcard: false, index: 'index.html' });
  } else {
    app.log.warn({ webRoot }, 'web app not built: run "pnpm build" to serve the web interface');
  }

  app.addHook('onSend', async (request, reply) => {
    const path = request.url.split('?')[0] ?? '/';
    const type = String(reply.getHeader('content-type') ?? '');
    if (type.startsWith('text/html') && !machinePrefixes.some((p) => path.startsWith(p))) {
      reply.header('content-security-policy', webAppContentSecurityPolicy);
    }
  });

  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0] ?? '/';
    const isPage =
      request.method === 'GET' &&
      !machinePrefixes.some((prefix) => path.startsWith(prefix)) &&
      !/\.[a-z0-9]+$/i.test(path);
    if (isPage && built) return reply.type('text/html').sendFile('index.html');
    return reply.status(404).send(errorBody('not_found', `Nothing at ${request.method} ${path}.`));
  });
}

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { errorBody } from '../errors.js';

/** Paths owned by the API and machine endpoints: never answered with the web app. */
const machinePrefixes = ['/api/', '/hooks/', '/plugins/'];

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

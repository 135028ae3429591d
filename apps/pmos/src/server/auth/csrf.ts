import { PmosError } from '@pmos/core';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { sessionCookieName } from './request-auth.js';

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Cross-site request forgery defence for cookie-authenticated writes (and sign-in/up, so a
 * foreign page cannot sign a visitor into an account): the browser's Origin (or Referer)
 * must be this server — PUBLIC_URL's origin or the Host the request came to. Requests with
 * a Bearer token carry no ambient credential and skip the check.
 */
export function registerCsrfDefence(app: FastifyInstance, publicUrl: string | undefined): void {
  const publicOrigin = publicUrl ? new URL(publicUrl).origin : null;
  app.addHook('onRequest', async (request) => {
    if (safeMethods.has(request.method)) return;
    // Webhooks never act on the caller's session: a cookie sent along grants nothing there.
    if (request.url.startsWith('/hooks/')) return;
    if (request.headers.authorization?.startsWith('Bearer ')) return;
    const usesCookie = request.cookies[sessionCookieName] !== undefined;
    if (!usesCookie && !request.url.startsWith('/api/auth/')) return;
    const origin = originOf(request);
    const allowed = [publicOrigin, `${request.protocol}://${request.host}`];
    if (!origin || !allowed.includes(origin)) {
      throw new PmosError(
        'csrf_rejected',
        'This request did not come from PMOS itself, so it was refused. Reload the page and try again.',
        { status: 403 },
      );
    }
  });
}

function originOf(request: FastifyRequest): string | null {
  const origin = request.headers.origin;
  if (origin && origin !== 'null') return origin;
  const referer = request.headers.referer;
  if (!referer) return null;
  try {
    return new URL(referer).origin;
  } catch {
    return null;
  }
}

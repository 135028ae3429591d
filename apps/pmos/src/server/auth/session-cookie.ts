import { sessionPolicy } from '@pmos/core';
import type { FastifyReply } from 'fastify';
import { sessionCookieName } from './request-auth.js';

/** httpOnly, SameSite=Lax, Secure when PMOS is served over https. */
export function setSessionCookie(reply: FastifyReply, token: string, secure: boolean): void {
  reply.setCookie(sessionCookieName, token, {
    httpOnly: true,
    sameSite: 'lax',
    secure,
    path: '/',
    maxAge: Math.floor(sessionPolicy.absoluteMs / 1000),
  });
}

export function clearSessionCookie(reply: FastifyReply, secure: boolean): void {
  reply.clearCookie(sessionCookieName, { httpOnly: true, sameSite: 'lax', secure, path: '/' });
}

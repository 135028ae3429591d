import {
  describeMe,
  type MikroORM,
  recordAudit,
  revokeAllSessions,
  revokeSession,
  signIn,
  signUp,
} from '@pmos/core';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  errorBodySchema,
  meSchema,
  signInBodySchema,
  signUpBodySchema,
} from '../../api/schemas.js';
import { access } from '../auth/access.js';
import { actorOf, signedInUser } from '../auth/request-auth.js';
import { clearSessionCookie, setSessionCookie } from '../auth/session-cookie.js';
import { errorResponses } from './error-responses.js';

const errors = errorResponses(400, 401, 403, 409, 429);

export function registerAuthRoutes(
  app: FastifyInstance,
  options: { orm: MikroORM; secureCookies: boolean },
): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const { orm, secureCookies } = options;

  api.post(
    '/api/auth/sign-up',
    {
      config: { access: access.public },
      schema: {
        tags: ['auth'],
        summary: 'Create an account (the first one becomes super_admin) and sign in',
        body: signUpBodySchema,
        response: { 201: meSchema, ...errors },
      },
    },
    async (request, reply) => {
      const { user, sessionToken } = await signUp(orm, request.body, actorOf(request));
      setSessionCookie(reply, sessionToken, secureCookies);
      return reply.status(201).send(await describeMe(request.em, user));
    },
  );

  api.post(
    '/api/auth/sign-in',
    {
      config: { access: access.public },
      schema: {
        tags: ['auth'],
        summary: 'Sign in with email and password; sets the session cookie',
        body: signInBodySchema,
        response: { 200: meSchema, ...errors },
      },
    },
    async (request, reply) => {
      const { user, sessionToken } = await signIn(
        orm,
        { ...request.body, previousSessionId: request.auth?.sessionId ?? null },
        actorOf(request),
      );
      setSessionCookie(reply, sessionToken, secureCookies);
      return describeMe(request.em, user);
    },
  );

  api.post(
    '/api/auth/sign-out',
    {
      config: { access: access.public },
      schema: {
        tags: ['auth'],
        summary: 'End this session',
        response: { 204: z.null(), 403: errorBodySchema },
      },
    },
    async (request, reply) => {
      if (request.auth?.sessionId) {
        await revokeSession(request.em, request.auth.sessionId);
        await recordAudit(request.em, actorOf(request), {
          action: 'auth.sign_out',
          outcome: 'success',
        });
      }
      clearSessionCookie(reply, secureCookies);
      return reply.status(204).send(null);
    },
  );

  api.post(
    '/api/auth/sign-out-everywhere',
    {
      config: { access: access.authenticated },
      schema: {
        tags: ['auth'],
        summary: 'End every session of the signed-in user, on every device',
        response: { 204: z.null(), 401: errorBodySchema, 403: errorBodySchema },
      },
    },
    async (request, reply) => {
      const user = signedInUser(request);
      const ended = await revokeAllSessions(request.em, user.id);
      await recordAudit(request.em, actorOf(request), {
        action: 'auth.sign_out_everywhere',
        outcome: 'success',
        metadata: { sessions: ended },
      });
      clearSessionCookie(reply, secureCookies);
      return reply.status(204).send(null);
    },
  );

  api.get(
    '/api/me',
    {
      config: { access: access.authenticated },
      schema: {
        tags: ['auth'],
        summary: 'The signed-in user, their workspaces and what they may do in each',
        response: { 200: meSchema, 401: errorBodySchema },
      },
    },
    async (request) => describeMe(request.em, signedInUser(request)),
  );
}

import { acceptInvite, describeMe, inviteStatus, previewInvite } from '@pmos/core';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { acceptedInviteSchema, invitePreviewSchema } from '../../api/schemas.js';
import { access } from '../auth/access.js';
import { actorOf, signedInUser } from '../auth/request-auth.js';
import { errorResponses } from './error-responses.js';

const tokenParams = z.object({ token: z.string().min(1).max(200) });
const errors = errorResponses(401, 403, 404, 410);

/** The invite link's side: anyone holding it may look; only the invited address may join. */
export function registerInviteRoutes(app: FastifyInstance): void {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.get(
    '/api/invites/:token',
    {
      config: { access: access.public },
      schema: {
        tags: ['invites'],
        summary: 'What an invite link offers: workspace, role, invited address, status',
        params: tokenParams,
        response: { 200: invitePreviewSchema, ...errors },
      },
    },
    async (request) => {
      const { invite, workspaceName } = await previewInvite(request.em, request.params.token);
      return {
        workspaceName,
        email: invite.email,
        role: invite.role,
        status: inviteStatus(invite),
        expiresAt: invite.expiresAt.toISOString(),
      };
    },
  );

  api.post(
    '/api/invites/:token/accept',
    {
      config: { access: access.authenticated },
      schema: {
        tags: ['invites'],
        summary: 'Join the workspace with the signed-in account',
        params: tokenParams,
        response: { 200: acceptedInviteSchema, ...errors },
      },
    },
    async (request) => {
      const user = signedInUser(request);
      const { workspaceId } = await acceptInvite(
        request.em,
        request.params.token,
        user,
        actorOf(request),
      );
      return { ...(await describeMe(request.em, user)), joinedWorkspaceId: workspaceId };
    },
  );
}

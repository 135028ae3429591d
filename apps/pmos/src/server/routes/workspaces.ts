import {
  changeMemberRole,
  createInvite,
  createWorkspace,
  listInvites,
  listMembers,
  removeMember,
  renameWorkspace,
  revokeInvite,
  User,
} from '@pmos/core';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  changeRoleBodySchema,
  createdInviteSchema,
  createInviteBodySchema,
  createWorkspaceBodySchema,
  inviteListSchema,
  memberListSchema,
  memberSchema,
  updateWorkspaceBodySchema,
  workspaceParamsSchema,
  workspaceSummarySchema,
} from '../../api/schemas.js';
import { access } from '../auth/access.js';
import { actorOf, signedInUser } from '../auth/request-auth.js';
import { errorResponses } from './error-responses.js';
import { serialize } from './serialize.js';

const errors = errorResponses(400, 401, 403, 404, 409);
const memberParams = workspaceParamsSchema.extend({
  userId: z.uuid({ error: 'Not a valid user id.' }),
});
const inviteParams = workspaceParamsSchema.extend({
  id: z.uuid({ error: 'Not a valid invite id.' }),
});

export function registerWorkspaceRoutes(
  app: FastifyInstance,
  options: { publicUrl: string | undefined },
): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['workspaces'];

  api.post(
    '/api/workspaces',
    {
      config: { access: access.authenticated },
      schema: {
        tags,
        summary: 'Create a workspace; the caller becomes its workspace_admin',
        body: createWorkspaceBodySchema,
        response: { 201: workspaceSummarySchema, ...errors },
      },
    },
    async (request, reply) => {
      const user = signedInUser(request);
      const workspace = await createWorkspace(
        request.em,
        user.id,
        request.body.name,
        actorOf(request),
      );
      return reply
        .status(201)
        .send({ id: workspace.id, name: workspace.name, role: 'workspace_admin' as const });
    },
  );

  api.patch(
    '/api/workspaces/:workspaceId',
    {
      config: { access: access.workspace('settings.manage') },
      schema: {
        tags,
        summary: 'Rename a workspace',
        params: workspaceParamsSchema,
        body: updateWorkspaceBodySchema,
        response: { 200: workspaceSummarySchema, ...errors },
      },
    },
    async (request) => {
      const workspace = await renameWorkspace(
        request.em,
        request.params.workspaceId,
        request.body.name,
        actorOf(request),
      );
      return { id: workspace.id, name: workspace.name, role: roleOf(request) };
    },
  );

  api.get(
    '/api/workspaces/:workspaceId/members',
    {
      config: { access: access.workspace('members.read') },
      schema: {
        tags,
        summary: 'List the members of a workspace',
        params: workspaceParamsSchema,
        response: { 200: memberListSchema, ...errors },
      },
    },
    async (request) => ({
      data: (await listMembers(request.em, request.params.workspaceId)).map(serialize.member),
      next: null,
    }),
  );

  api.patch(
    '/api/workspaces/:workspaceId/members/:userId',
    {
      config: { access: access.workspace('members.manage') },
      schema: {
        tags,
        summary: "Change a member's role (a workspace always keeps one workspace_admin)",
        params: memberParams,
        body: changeRoleBodySchema,
        response: { 200: memberSchema, ...errors },
      },
    },
    async (request) => {
      const { workspaceId, userId } = request.params;
      const member = await changeMemberRole(
        request.em,
        workspaceId,
        userId,
        request.body.role,
        actorOf(request),
      );
      return serialize.member(member);
    },
  );

  api.delete(
    '/api/workspaces/:workspaceId/members/:userId',
    {
      config: { access: access.workspace('members.manage') },
      schema: {
        tags,
        summary: 'Remove a member from the workspace',
        params: memberParams,
        response: { 204: z.null(), ...errors },
      },
    },
    async (request, reply) => {
      const { workspaceId, userId } = request.params;
      await removeMember(request.em, workspaceId, userId, actorOf(request));
      return reply.status(204).send(null);
    },
  );

  api.get(
    '/api/workspaces/:workspaceId/invites',
    {
      config: { access: access.workspace('members.manage') },
      schema: {
        tags,
        summary: 'List invites of the workspace',
        params: workspaceParamsSchema,
        response: { 200: inviteListSchema, ...errors },
      },
    },
    async (request) => {
      const invites = await listInvites(request.em, request.params.workspaceId);
      const inviterIds = [...new Set(invites.flatMap((i) => (i.invitedBy ? [i.invitedBy] : [])))];
      const inviters = await request.em.find(User, { id: { $in: inviterIds } });
      const names = new Map(inviters.map((u) => [u.id, u.name]));
      return {
        data: invites.map((i) =>
          serialize.invite(i, i.invitedBy ? (names.get(i.invitedBy) ?? null) : null),
        ),
        next: null,
      };
    },
  );

  api.post(
    '/api/workspaces/:workspaceId/invites',
    {
      config: { access: access.workspace('members.manage') },
      schema: {
        tags,
        summary: 'Invite someone by email; returns the single-use link once',
        params: workspaceParamsSchema,
        body: createInviteBodySchema,
        response: { 201: createdInviteSchema, ...errors },
      },
    },
    async (request, reply) => {
      const user = signedInUser(request);
      const { invite, token } = await createInvite(
        request.em,
        request.params.workspaceId,
        request.body,
        actorOf(request),
      );
      const base = options.publicUrl ?? `${request.protocol}://${request.host}`;
      return reply.status(201).send({
        invite: serialize.invite(invite, user.name),
        url: `${base}/invite/${token}`,
      });
    },
  );

  api.delete(
    '/api/workspaces/:workspaceId/invites/:id',
    {
      config: { access: access.workspace('members.manage') },
      schema: {
        tags,
        summary: 'Withdraw an invite',
        params: inviteParams,
        response: { 204: z.null(), ...errors },
      },
    },
    async (request, reply) => {
      await revokeInvite(
        request.em,
        request.params.workspaceId,
        request.params.id,
        actorOf(request),
      );
      return reply.status(204).send(null);
    },
  );
}

function roleOf(request: FastifyRequest) {
  if (!request.workspaceRole) throw new Error('workspace role missing: guard did not run');
  return request.workspaceRole;
}

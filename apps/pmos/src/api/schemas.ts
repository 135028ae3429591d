import { z } from 'zod';

/**
 * Request and response bodies of the HTTP API, declared once: the server validates and
 * serialises with them (and generates /api/openapi.json from them), the web app types its
 * calls with them. Only zod here — this file is bundled into the browser.
 */

export const workspaceRoles = ['workspace_admin', 'member', 'viewer'] as const;
export const workspaceRoleSchema = z.enum(workspaceRoles).meta({
  description:
    'workspace_admin: everything in the workspace; member: build and run; viewer: read only',
});
export type WorkspaceRole = z.infer<typeof workspaceRoleSchema>;

export const errorBodySchema = z
  .object({
    error: z.object({
      code: z.string().meta({ example: 'invalid_request' }),
      message: z.string(),
      details: z.record(z.string(), z.unknown()).optional(),
    }),
  })
  .meta({ id: 'Error' });

const email = z
  .string()
  .trim()
  .max(254, { error: 'Email addresses are at most 254 characters.' })
  .pipe(z.email({ error: 'Enter a valid email address, like name@example.com.' }));

// Length and commonness are checked by the server's password policy, with its own messages.
const password = z.string().max(1024, { error: 'Passwords are at most 1024 characters.' });

export const signUpBodySchema = z
  .object({
    email,
    password,
    name: z.string().trim().min(1, { error: 'Enter your name.' }).max(120),
  })
  .meta({ id: 'SignUpRequest' });

export const signInBodySchema = z
  .object({ email, password: z.string().min(1, { error: 'Enter your password.' }).max(1024) })
  .meta({ id: 'SignInRequest' });

export const userSchema = z
  .object({
    id: z.uuid(),
    email: z.string(),
    name: z.string(),
    platformRole: z.enum(['super_admin']).nullable(),
  })
  .meta({ id: 'User' });

export const workspaceSummarySchema = z
  .object({ id: z.uuid(), name: z.string(), role: workspaceRoleSchema })
  .meta({ id: 'WorkspaceSummary' });

export const meSchema = z
  .object({
    user: userSchema,
    workspaces: z.array(workspaceSummarySchema),
    /** Workspace permissions per workspace id, e.g. {"<id>": ["flows.read", …]}. */
    permissions: z.record(z.string(), z.array(z.string())),
    /** Instance-wide permissions (super_admin): platform.manage, shell.use. */
    platformPermissions: z.array(z.string()),
  })
  .meta({ id: 'Me' });
export type Me = z.infer<typeof meSchema>;

export const createWorkspaceBodySchema = z
  .object({ name: z.string().trim().min(1, { error: 'Enter a workspace name.' }).max(80) })
  .meta({ id: 'CreateWorkspaceRequest' });

export const updateWorkspaceBodySchema = createWorkspaceBodySchema.meta({
  id: 'UpdateWorkspaceRequest',
});

export const memberSchema = z
  .object({
    userId: z.uuid(),
    email: z.string(),
    name: z.string(),
    role: workspaceRoleSchema,
    joinedAt: z.iso.datetime(),
  })
  .meta({ id: 'Member' });

export const memberListSchema = z
  .object({ data: z.array(memberSchema), next: z.string().nullable() })
  .meta({ id: 'MemberList' });

export const changeRoleBodySchema = z
  .object({ role: workspaceRoleSchema })
  .meta({ id: 'ChangeRoleRequest' });

export const inviteStatusSchema = z.enum(['pending', 'accepted', 'revoked', 'expired']);

export const inviteSchema = z
  .object({
    id: z.uuid(),
    email: z.string(),
    role: workspaceRoleSchema,
    status: inviteStatusSchema,
    invitedBy: z.string().nullable(),
    createdAt: z.iso.datetime(),
    expiresAt: z.iso.datetime(),
  })
  .meta({ id: 'Invite' });

export const inviteListSchema = z
  .object({ data: z.array(inviteSchema), next: z.string().nullable() })
  .meta({ id: 'InviteList' });

export const createInviteBodySchema = z
  .object({ email, role: workspaceRoleSchema })
  .meta({ id: 'CreateInviteRequest' });

/** The link holds the invite's secret: it is returned once, at creation. */
export const createdInviteSchema = z
  .object({ invite: inviteSchema, url: z.url() })
  .meta({ id: 'CreatedInvite' });

export const invitePreviewSchema = z
  .object({
    workspaceName: z.string(),
    email: z.string(),
    role: workspaceRoleSchema,
    status: inviteStatusSchema,
    expiresAt: z.iso.datetime(),
  })
  .meta({ id: 'InvitePreview' });

export const apiTokenSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    /** The first characters of the token, to recognise it: `pmos_pat_abcd…`. */
    hint: z.string(),
    createdAt: z.iso.datetime(),
    lastUsedAt: z.iso.datetime().nullable(),
    expiresAt: z.iso.datetime().nullable(),
  })
  .meta({ id: 'ApiToken' });

export const apiTokenListSchema = z
  .object({ data: z.array(apiTokenSchema), next: z.string().nullable() })
  .meta({ id: 'ApiTokenList' });

export const createApiTokenBodySchema = z
  .object({
    name: z
      .string()
      .trim()
      .min(1, { error: 'Name the token after the script that uses it.' })
      .max(80),
    expiresInDays: z.number().int().min(1).max(3650).nullable().default(90),
  })
  .meta({ id: 'CreateApiTokenRequest' });

/** `token` is shown once and never again. */
export const createdApiTokenSchema = z
  .object({ token: z.string(), apiToken: apiTokenSchema })
  .meta({ id: 'CreatedApiToken' });

export const shellBodySchema = z
  .object({
    command: z.string().min(1, { error: 'Enter a command.' }).max(4096),
    cwd: z.string().min(1).max(1024).optional(),
    timeoutMs: z.number().int().min(100).max(600_000).default(30_000),
  })
  .meta({ id: 'ShellRequest' });

export const idParamsSchema = z.object({ id: z.uuid({ error: 'Not a valid id.' }) });
export const workspaceParamsSchema = z.object({
  workspaceId: z.uuid({ error: 'Not a valid workspace id.' }),
});

export const auditEventSchema = z
  .object({
    id: z.string(),
    occurredAt: z.iso.datetime(),
    workspaceId: z.string().nullable(),
    actorUserId: z.string().nullable(),
    actorEmail: z.string().nullable(),
    actorKind: z.string(),
    action: z.string(),
    targetType: z.string().nullable(),
    targetId: z.string().nullable(),
    outcome: z.string(),
    ip: z.string().nullable(),
    userAgent: z.string().nullable(),
    requestId: z.string().nullable(),
    metadata: z.record(z.string(), z.unknown()),
    chainSeq: z.number().int(),
    hash: z.string(),
  })
  .meta({ id: 'AuditEvent' });

export const auditListSchema = z
  .object({ data: z.array(auditEventSchema), next: z.string().nullable() })
  .meta({ id: 'AuditEventList' });

export const auditQuerySchema = z.object({
  action: z.string().max(100).optional().meta({ description: 'e.g. "auth" or "auth.sign_in"' }),
  outcome: z.enum(['success', 'failure', 'denied']).optional(),
  actor: z.uuid({ error: 'actor must be a user id.' }).optional(),
  since: z.iso.datetime({ error: 'since must be an ISO date-time.' }).optional(),
  until: z.iso.datetime({ error: 'until must be an ISO date-time.' }).optional(),
  before: z.string().regex(/^\d+$/, { error: 'before must be a cursor from "next".' }).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const adminAuditQuerySchema = auditQuerySchema.extend({
  workspace: z
    .union([z.uuid(), z.literal('instance')])
    .optional()
    .meta({ description: 'a workspace id, or "instance" for instance-level events' }),
});

export const auditChainReportSchema = z
  .object({
    chains: z.array(
      z.object({
        chain: z.string(),
        events: z.number().int(),
        firstBroken: z
          .object({ seq: z.number().int(), id: z.string(), reason: z.string() })
          .nullable(),
      }),
    ),
    intact: z.boolean(),
  })
  .meta({ id: 'AuditChainReport' });

const secretName = z
  .string()
  .trim()
  .min(1, { error: 'Name the secret.' })
  .max(100)
  .regex(/^[A-Za-z0-9][A-Za-z0-9 ._-]*$/, {
    error: 'Use letters, digits, spaces, dots, dashes and underscores.',
  });

export const secretSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    description: z.string().nullable(),
    /** Never the value: the last 4 characters at most, e.g. "••••3f9a". */
    mask: z.string(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'Secret' });

export const secretListSchema = z
  .object({ data: z.array(secretSchema), next: z.string().nullable() })
  .meta({ id: 'SecretList' });

export const createSecretBodySchema = z
  .object({
    name: secretName,
    value: z.string().min(1, { error: 'Enter the secret value.' }).max(65_536),
    description: z.string().trim().max(500).nullable().optional(),
  })
  .meta({ id: 'CreateSecretRequest' });

export const updateSecretBodySchema = z
  .object({
    value: z.string().min(1, { error: 'Enter the secret value.' }).max(65_536).optional(),
    description: z.string().trim().max(500).nullable().optional(),
  })
  .meta({ id: 'UpdateSecretRequest' });

export const instanceSchema = z
  .object({
    instanceId: z.uuid(),
    name: z.string(),
    createdAt: z.iso.datetime(),
    shellEnabled: z.boolean(),
    userCount: z.number().int(),
    workspaceCount: z.number().int(),
  })
  .meta({ id: 'Instance' });

/** Accepting an invite answers the caller's new `Me`, plus which workspace was joined. */
export const acceptedInviteSchema = meSchema
  .extend({ joinedWorkspaceId: z.uuid() })
  .meta({ id: 'AcceptedInvite' });

export const limitNameSchema = z.enum([
  'api_requests_per_minute',
  'flow_runs_per_day',
  'ai_tokens_per_day',
  'concurrent_flow_runs',
  'webhook_requests_per_minute',
  'run_data_megabytes',
  'chat_messages_per_minute',
]);

export const usageSchema = z
  .object({
    limits: z.array(
      z.object({
        name: limitNameSchema,
        limit: z.number().int(),
        used: z.number().int(),
        /** When the count starts again; null for a level that never resets (stored data). */
        resetsAt: z.iso.datetime().nullable(),
      }),
    ),
  })
  .meta({ id: 'Usage' });

export const limitsSchema = z
  .object({
    defaults: z.record(z.string(), z.number().int()),
    overrides: z.array(
      z.object({
        limitName: limitNameSchema,
        subject: z.string(),
        value: z.number().int(),
        updatedAt: z.iso.datetime(),
      }),
    ),
  })
  .meta({ id: 'Limits' });

export const setLimitBodySchema = z
  .object({
    limitName: limitNameSchema,
    subject: z
      .string()
      .regex(/^(\*|workspace:[0-9a-f-]{36}|user:[0-9a-f-]{36}|ip:[0-9a-fA-F.:]+)$/, {
        error: 'subject is "*", workspace:<id>, user:<id> or ip:<address>.',
      }),
    value: z.number().int().min(0).max(10_000_000).nullable(),
  })
  .meta({ id: 'SetLimitRequest' });

export const rotationResultSchema = z
  .object({
    rewrapped: z.number().int(),
    masterKeyId: z.string(),
    generated: z.boolean(),
    resumed: z.boolean(),
  })
  .meta({ id: 'MasterKeyRotation' });

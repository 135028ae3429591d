import type { z } from 'zod';
import type {
  apiTokenSchema,
  createdApiTokenSchema,
  createdInviteSchema,
  invitePreviewSchema,
  inviteSchema,
  memberSchema,
  workspaceSummarySchema,
} from '../api/schemas.js';

// Response types the web app reads, inferred from the API's own schemas.
export type { Me, WorkspaceRole } from '../api/schemas.js';
export type WorkspaceSummary = z.infer<typeof workspaceSummarySchema>;
export type Member = z.infer<typeof memberSchema>;
export type Invite = z.infer<typeof inviteSchema>;
export type CreatedInvite = z.infer<typeof createdInviteSchema>;
export type InvitePreview = z.infer<typeof invitePreviewSchema>;
export type ApiToken = z.infer<typeof apiTokenSchema>;
export type CreatedApiToken = z.infer<typeof createdApiTokenSchema>;
export interface List<T> {
  data: T[];
  next: string | null;
}
export interface InstanceInfo {
  instanceId: string;
  name: string;
  createdAt: string;
  shellEnabled: boolean;
  userCount: number;
  workspaceCount: number;
}

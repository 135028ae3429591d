export { type SignUpInput, signIn, signUp, transferSuperAdmin } from './accounts.js';
export { createApiToken, listApiTokens, resolveApiToken, revokeApiToken } from './api-tokens.js';
export { normaliseEmail } from './email.js';
export {
  ApiToken,
  type ApiTokenRecord,
  Invite,
  type InviteRecord,
  Session,
  type SessionRecord,
  User,
  type UserRecord,
  Workspace,
  WorkspaceMembership,
  type WorkspaceMembershipRecord,
  type WorkspaceRecord,
} from './entities.js';
export { IdentityError, type IdentityErrorCode } from './errors.js';
export {
  acceptInvite,
  createInvite,
  type InviteStatus,
  inviteStatus,
  inviteTtlMs,
  listInvites,
  previewInvite,
  revokeInvite,
} from './invites.js';
export { describeMe } from './me.js';
export { checkPasswordPolicy, minimumPasswordLength } from './passwords.js';
export {
  createSession,
  resolveSession,
  revokeAllSessions,
  revokeSession,
  sessionPolicy,
} from './sessions.js';
export { throttlePolicy } from './throttle.js';
export {
  changeMemberRole,
  createWorkspace,
  listMembers,
  listMemberships,
  type MembershipSummary,
  type MemberView,
  membershipRole,
  removeMember,
  renameWorkspace,
} from './workspaces.js';

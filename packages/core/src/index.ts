export type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
export { AuditEvent, type AuditEventRecord } from './audit/audit-event.entity.js';
export { type ActorContext, type AuditEntry, recordAudit, systemActor } from './audit/audit-log.js';
export {
  type AuditEventView,
  type AuditFilter,
  listAuditEvents,
} from './audit/audit-query.js';
export { type ChainReport, verifyAuditChains } from './audit/audit-verify.js';
export { redacted, scrub, scrubText } from './audit/scrub.js';
export {
  type Database,
  type DatabaseMode,
  type DatabaseOptions,
  openDatabase,
} from './db/database.js';
export { DatabaseError, type DbErrorCode, dbErrorCodes } from './db/errors.js';
export { migrations } from './db/migrations/index.js';
export { tenantTables } from './db/migrations/Migration20261125050000_row_level_security.js';
export {
  type MigrationState,
  migrateDown,
  migrateUp,
  migrationStatus,
  pendingMigrationCount,
} from './db/migrator.js';
export { createOrm, entities, migrationsTableName, type OrmConnection } from './db/orm.js';
export { isPmosError, PmosError, type PmosErrorOptions } from './errors.js';
export {
  ApiToken,
  type ApiTokenRecord,
  acceptInvite,
  changeMemberRole,
  checkPasswordPolicy,
  createApiToken,
  createInvite,
  createSession,
  createWorkspace,
  describeMe,
  IdentityError,
  type IdentityErrorCode,
  Invite,
  type InviteRecord,
  type InviteStatus,
  inviteStatus,
  inviteTtlMs,
  listApiTokens,
  listInvites,
  listMembers,
  listMemberships,
  type MembershipSummary,
  type MemberView,
  membershipRole,
  minimumPasswordLength,
  normaliseEmail,
  previewInvite,
  removeMember,
  renameWorkspace,
  resolveApiToken,
  resolveSession,
  revokeAllSessions,
  revokeApiToken,
  revokeInvite,
  revokeSession,
  Session,
  type SessionRecord,
  type SignUpInput,
  sessionPolicy,
  signIn,
  signUp,
  throttlePolicy,
  transferSuperAdmin,
  User,
  type UserRecord,
  Workspace,
  WorkspaceMembership,
  type WorkspaceMembershipRecord,
  type WorkspaceRecord,
} from './identity/index.js';
export { Instance, type InstanceRecord } from './instance/instance.entity.js';
export { ensureInstance } from './instance/instance-service.js';
export {
  consumeQuota,
  type DailyQuota,
  dailyQuotaResetsAt,
  dailyQuotas,
  isLimitName,
  type LimitName,
  type LimitOverride,
  limitDefaults,
  listLimitOverrides,
  QuotaExceededError,
  quotaUsed,
  type RateDecision,
  RateLimiter,
  releaseQuota,
  setLimitOverride,
} from './quotas/index.js';
export {
  isWorkspacePermission,
  isWorkspaceRole,
  type Permission,
  type PlatformPermission,
  type PlatformRole,
  permissionsOfPlatformRole,
  permissionsOfWorkspaceRole,
  platformPermissions,
  platformRoleGrants,
  type WorkspacePermission,
  type WorkspaceRole,
  workspacePermissions,
  workspaceRoleGrants,
  workspaceRoles,
} from './rbac/permissions.js';
export {
  generateMasterKey,
  hasNextMasterKeyFile,
  type Keyring,
  keyId,
  loadMasterKeyFile,
  type MasterKey,
  masterKey,
  masterKeyFile,
  parseMasterKey,
  promoteNextMasterKeyFile,
  type RotationResult,
  rotateMasterKey,
  SecretsError,
  type SecretsErrorCode,
  SecretsVault,
  type SecretView,
  seal,
  unseal,
  writeNextMasterKeyFile,
} from './secrets/index.js';
export { enterTenantScope, inTenantScope, tenantRole } from './tenancy/tenant-scope.js';

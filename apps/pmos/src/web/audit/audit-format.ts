import type { BadgeTone } from '@pmos/ui';
import type { AuditEvent } from '../api-types.js';

/** The action families a person filters by; the server matches `action` by prefix. */
export const actionCategories = [
  { value: '', label: 'All actions' },
  { value: 'auth', label: 'Sign-in & sessions' },
  { value: 'member', label: 'Members' },
  { value: 'invite', label: 'Invites' },
  { value: 'secret', label: 'Secrets' },
  { value: 'api_token', label: 'API tokens' },
  { value: 'workspace', label: 'Workspace' },
  { value: 'connection', label: 'Connections' },
] as const;

export const outcomeChoices = [
  { value: '', label: 'Any outcome' },
  { value: 'success', label: 'Succeeded' },
  { value: 'failure', label: 'Failed' },
  { value: 'denied', label: 'Denied' },
] as const;

const outcomeLabels: Record<string, string> = {
  success: 'Success',
  failure: 'Failure',
  denied: 'Denied',
};

const outcomeTones: Record<string, BadgeTone> = {
  success: 'success',
  failure: 'danger',
  denied: 'danger',
};

export function outcomeLabel(outcome: string): string {
  return outcomeLabels[outcome] ?? humanize(outcome);
}

export function outcomeTone(outcome: string): BadgeTone {
  return outcomeTones[outcome] ?? 'neutral';
}

const actionLabels: Record<string, string> = {
  'auth.sign_in': 'Sign-in',
  'auth.sign_up': 'Sign-up',
  'auth.sign_out': 'Sign-out',
  'auth.sign_out_everywhere': 'Signed out everywhere',
  'auth.lockout': 'Sign-in locked',
  'member.role_change': 'Role changed',
  'member.remove': 'Member removed',
  'invite.create': 'Invite created',
  'invite.accept': 'Invite accepted',
  'invite.revoke': 'Invite revoked',
  'secret.create': 'Secret added',
  'secret.update': 'Secret updated',
  'secret.delete': 'Secret deleted',
  'secrets.rotate_master': 'Master key rotated',
  'api_token.create': 'API token created',
  'api_token.revoke': 'API token revoked',
  'workspace.create': 'Workspace created',
  'workspace.rename': 'Workspace renamed',
  'platform.super_admin_bootstrap': 'Super admin created',
  'platform.super_admin_transfer': 'Super admin transferred',
  'quota.change': 'Quota changed',
  'shell.run': 'Shell command',
  'connection.create': 'Connection added',
  'connection.update': 'Connection changed',
  'connection.delete': 'Connection deleted',
  'connection.test': 'Connection tested',
  'connection.oauth2_start': 'Connection sign-in started',
  'flow.create': 'Automation created',
  'flow.import': 'Automation imported',
  'flow.publish': 'Automation published',
  'flow.enable': 'Automation turned on',
  'flow.disable': 'Automation turned off',
  'flow.delete': 'Automation deleted',
  'flow.link': 'Automation linked to another system',
  'flow.unlink': 'Automation unlinked',
};

/** What a person's sync round of a linked automation did, by its outcome. */
const syncOutcomes: Record<string, string> = {
  pushed: 'Automation synced: PMOS version sent',
  pulled: 'Automation synced: other version taken',
  unchanged: 'Automation synced: nothing to change',
  conflict: 'Automation sync found a conflict',
  failed: 'Automation sync failed',
};

const markWords: Record<string, string> = {
  safe: 'safe',
  gated: 'gated',
  blocked: 'blocked',
};

/** "auth.sign_in" → "Sign-in"; unknown codes still read as words. */
export function actionLabel(event: Pick<AuditEvent, 'action' | 'metadata'>): string {
  const { action, metadata } = event;
  if (action === 'secret.update') {
    return metadata.valueChanged === false ? 'Secret description changed' : 'Secret value replaced';
  }
  if (action === 'connection.tool_mark' && isText(metadata.tool)) {
    const mark = isText(metadata.mark) ? markWords[metadata.mark] : undefined;
    return mark ? `Tool ${metadata.tool} marked ${mark}` : `Mark of tool ${metadata.tool} removed`;
  }
  if (action === 'flow.sync') {
    return (isText(metadata.outcome) && syncOutcomes[metadata.outcome]) || 'Automation synced';
  }
  const known = actionLabels[action];
  if (known) return known;
  // Refusals by the permission guard are recorded as "<permission>.access".
  if (action.endsWith('.access')) return `Access to ${action.slice(0, -'.access'.length)}`;
  return humanize(action);
}

const actorKinds: Record<string, string> = {
  api_token: 'API token',
  system: 'System',
  anonymous: 'Anonymous',
};

/** Who did it, in a line: an email, or what kind of caller it was. */
export function actorLabel(event: Pick<AuditEvent, 'actorKind' | 'actorEmail' | 'metadata'>): {
  primary: string;
  secondary: string | null;
} {
  if (event.actorKind === 'user') {
    return { primary: event.actorEmail ?? 'Deleted user', secondary: null };
  }
  // A token acts for its owner; an anonymous sign-in attempt names the address it tried.
  const tried = event.actorKind === 'anonymous' ? event.metadata.email : undefined;
  return {
    primary: actorKinds[event.actorKind] ?? humanize(event.actorKind),
    secondary: event.actorEmail ?? (isText(tried) ? tried : null),
  };
}

const targetTypes: Record<string, string> = {
  user: 'User',
  secret: 'Secret',
  invite: 'Invite',
  workspace: 'Workspace',
  api_token: 'API token',
  member: 'Member',
  connection: 'Connection',
  flow: 'Automation',
};

/** What it was done to: the type, and a name from the metadata when the event carries one. */
export function targetLabel(
  event: Pick<AuditEvent, 'targetType' | 'targetId' | 'metadata'>,
): { type: string; name: string | null } | null {
  if (!event.targetType && !event.targetId) return null;
  const type = event.targetType
    ? (targetTypes[event.targetType] ?? humanize(event.targetType))
    : '';
  // A rename names the workspace by its new name.
  const keys = event.targetType === 'workspace' ? ['name', 'to'] : ['name', 'email'];
  const named = keys.map((key) => event.metadata[key]).find(isText);
  return { type, name: named ?? (event.targetId ? shortId(event.targetId) : null) };
}

export function shortId(id: string): string {
  return id.length > 12 ? `${id.slice(0, 8)}…` : id;
}

export function shortHash(hash: string): string {
  return hash.length > 16 ? `${hash.slice(0, 10)}…${hash.slice(-6)}` : hash;
}

function isText(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0;
}

function humanize(code: string): string {
  const words = code.replace(/[._]+/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

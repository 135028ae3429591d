import { PmosError } from '../errors.js';

/** Every error the identity services raise: stable code, HTTP status, a sentence for a person. */
const catalogue = {
  email_taken: [409, 'An account with this email already exists. Sign in instead.'],
  password_too_short: [400, 'Use a password of at least 12 characters.'],
  password_too_long: [400, 'Passwords are at most 256 characters.'],
  password_too_common: [
    400,
    'This password is too common and easy to guess. Choose something unique to you — a few unrelated words work well.',
  ],
  password_contains_email: [400, 'Your password must not contain your email address.'],
  invalid_credentials: [401, 'The email or password is incorrect.'],
  too_many_attempts: [429, 'Too many sign-in attempts. Wait a moment, then try again.'],
  unauthenticated: [401, 'Sign in to continue.'],
  forbidden: [403, 'You do not have permission to do this.'],
  workspace_not_found: [404, 'No such workspace, or you are not a member of it.'],
  member_not_found: [404, 'That person is not a member of this workspace.'],
  last_admin: [
    409,
    'A workspace needs at least one workspace admin. Make someone else an admin first.',
  ],
  already_member: [409, 'This person is already a member of the workspace.'],
  invite_not_found: [404, 'This invite link is not valid. Ask for a new one.'],
  invite_expired: [410, 'This invite has expired. Ask the workspace admin for a new one.'],
  invite_used: [410, 'This invite has already been used.'],
  invite_revoked: [410, 'This invite was withdrawn by the workspace admin.'],
  invite_email_mismatch: [
    403,
    'This invite was sent to a different email address. Sign in with that address to accept it.',
  ],
  token_not_found: [404, 'No such API token.'],
} as const satisfies Record<string, readonly [number, string]>;

export type IdentityErrorCode = keyof typeof catalogue;

export class IdentityError extends PmosError {
  constructor(
    code: IdentityErrorCode,
    options: { message?: string; details?: Record<string, unknown> } = {},
  ) {
    const [status, message] = catalogue[code];
    super(code, options.message ?? message, { status, details: options.details });
    this.name = 'IdentityError';
  }
}

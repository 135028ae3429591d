/**
 * Every failure this plugin reports on its own: a closed set of codes, a message for a person
 * that names the piece (and the step) and what is missing, and a brand that survives two
 * copies of this module.
 */
export const activepiecesErrorCodes = [
  /** A piece uses a part of the Activepieces run context PMOS does not offer yet. */
  'piece_feature_unsupported',
  /** A piece was built for an Activepieces release or framework this adapter does not emulate. */
  'piece_incompatible',
  /** A piece tried to reach a host it is not known to need. */
  'piece_host_not_allowed',
  /** The admin setting names a piece (or version) that is not installed. */
  'piece_not_installed',
  /** A piece (or one of its properties) has a shape the adapter cannot read. */
  'piece_unreadable',
  /** Sync: the Activepieces instance cannot be reached at its URL. */
  'instance_unreachable',
  /** Sync: the instance refused the API key or the email and password. */
  'instance_auth_failed',
  /** Sync: API keys need the Platform or Enterprise edition; this instance is Community. */
  'instance_wrong_edition',
  /** Sync: no project chosen, or the chosen one is not reachable with these credentials. */
  'instance_no_project',
  /** Sync: the instance answered something this client cannot read. */
  'instance_unreadable',
] as const;

export type ActivepiecesErrorCode = (typeof activepiecesErrorCodes)[number];

const brand = Symbol.for('pmos.activepieces.error');

export class ActivepiecesError extends Error {
  readonly [brand] = true;
  constructor(
    readonly code: ActivepiecesErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'ActivepiecesError';
  }
}

export function isActivepiecesError(error: unknown): error is ActivepiecesError {
  return typeof error === 'object' && error !== null && brand in error;
}

/** "Todoist › Create Task needs the Activepieces file store, which PMOS does not offer yet." */
export function unsupported(where: string, feature: string): ActivepiecesError {
  return new ActivepiecesError(
    'piece_feature_unsupported',
    `${where} needs ${feature}, which PMOS does not offer yet.`,
  );
}

import { CataloguedError } from '@pmos/core';

const catalogue = {
  flow_not_linked: [404, 'This flow is not linked to a flow of another system.'],
  flow_already_linked: [409, 'This flow is already linked: unlink it first.'],
  remote_already_linked: [
    409,
    'That remote flow is already linked to another flow of this workspace.',
  ],
  no_flow_sync: [400, 'This connection’s plugin does not sync flows.'],
  no_conflict: [409, 'There is no conflict to resolve on this flow.'],
  sync_in_progress: [409, 'This flow is being synced right now: try again in a moment.'],
  sync_failed: [502, 'The other system could not be reached or refused the request.'],
} as const satisfies Record<string, readonly [number, string]>;

export type SyncErrorCode = keyof typeof catalogue;

/** Flow-sync failures of the host, with a stable code and a message for a person. */
export class SyncError extends CataloguedError<SyncErrorCode> {
  constructor(
    code: SyncErrorCode,
    options: { message?: string; details?: Record<string, unknown>; cause?: unknown } = {},
  ) {
    super(catalogue, code, options);
    this.name = 'SyncError';
  }
}

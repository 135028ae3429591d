import type { PluginLogger } from '@pmos/sdk/server';
import { isActivepiecesError } from '../errors.js';
import { installPieceNetwork } from '../network/intercept.js';
import { withPieceScope } from '../network/scope.js';

export interface PieceCall {
  /** "Todoist › Create Task", for messages. */
  label: string;
  /** The hosts this piece may reach. */
  hosts: readonly string[];
  http: typeof fetch;
  signal: AbortSignal;
  logger?: PluginLogger;
}

/**
 * Runs piece code with its HTTP routed through `ctx.http` (see network/intercept.ts). When the
 * call fails after a request was refused, the refusal is the error: a piece's HTTP client
 * turns it into a bare "status 500" that would hide the reason.
 */
export async function callPiece<T>(call: PieceCall, work: () => Promise<T>): Promise<T> {
  installPieceNetwork();
  const scope = {
    label: call.label,
    hosts: call.hosts,
    fetch: call.http,
    signal: call.signal,
    refusals: [] as Error[],
  };
  try {
    const result = await withPieceScope(scope, work);
    if (scope.refusals.length > 0) {
      call.logger?.warn(
        `${call.label} went on after a refused request: ${scope.refusals[0]?.message}`,
      );
    }
    return result;
  } catch (error) {
    const refused = scope.refusals[0];
    if (refused) throw refused;
    if (call.signal.aborted && !isActivepiecesError(error)) throw call.signal.reason ?? error;
    throw error;
  }
}

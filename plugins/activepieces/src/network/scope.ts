import { AsyncLocalStorage } from 'node:async_hooks';
import { ActivepiecesError } from '../errors.js';

/**
 * The network a piece call may use: the plugin's `ctx.http` (bound to the manifest's hosts,
 * private addresses refused, the host's fetch underneath) narrowed to the hosts this piece is
 * known to need. Every HTTP request the piece's code makes while the call runs goes here.
 */
export interface PieceNetworkScope {
  /** "Todoist › Create Task", for messages. */
  label: string;
  /** The hosts (name or name:port, `*.x` for subdomains) this piece may reach. */
  hosts: readonly string[];
  /** `ctx.http` of the call. */
  fetch: typeof fetch;
  signal: AbortSignal;
  /** Refusals seen during the call: the piece may swallow them, the adapter reports the first. */
  refusals: Error[];
}

const scopes = new AsyncLocalStorage<PieceNetworkScope>();

/** The scope of the piece call running in this async context, if any. */
export function currentPieceScope(): PieceNetworkScope | undefined {
  return scopes.getStore();
}

export function withPieceScope<T>(scope: PieceNetworkScope, work: () => Promise<T>): Promise<T> {
  return scopes.run(scope, work);
}

/** Runs `work` outside any piece scope: the plugin's own fetch must not be routed again. */
export function outsidePieceScope<T>(work: () => T): T {
  return scopes.exit(work);
}

function hostAllowed(host: string, hosts: readonly string[]): boolean {
  const target = host.toLowerCase();
  const bare = target.replace(/:\d+$/, '');
  return hosts.some((pattern) => {
    const p = pattern.toLowerCase();
    if (p.startsWith('*.')) return bare.endsWith(p.slice(1));
    return p === target || p === bare;
  });
}

/**
 * Sends one request of a piece through its scope: refused before a byte leaves when the host
 * is not one the piece needs, else through `ctx.http` with the call's cancellation.
 */
export async function sendThroughScope(
  scope: PieceNetworkScope,
  request: Request,
): Promise<Response> {
  const url = new URL(request.url);
  if (!hostAllowed(url.host, scope.hosts)) {
    const error = new ActivepiecesError(
      'piece_host_not_allowed',
      `${scope.label} tried to reach ${url.host}, which is not a host PMOS lets this piece reach` +
        (scope.hosts.length > 0 ? ` (${scope.hosts.join(', ')}).` : ' (it may reach none).'),
    );
    scope.refusals.push(error);
    throw error;
  }
  try {
    return await outsidePieceScope(() =>
      scope.fetch(new Request(request, { signal: scope.signal })),
    );
  } catch (error) {
    // Host rule refusals from ctx.http (undeclared or private hosts) name what went wrong.
    const code = (error as { code?: unknown }).code;
    if (code === 'host_not_allowed' || code === 'private_host') scope.refusals.push(error as Error);
    throw error;
  }
}

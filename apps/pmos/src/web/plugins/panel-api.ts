import type { PanelApi } from '@pmos/sdk/ui';
import { api, errorMessage, isApiError } from '../lib/api.js';

/**
 * The `api` a panel receives: calls to `/api/workspaces/:workspaceId/<path>` with the
 * viewer's session, nothing else. Absolute URLs, root paths, dot segments (also written as
 * %2e, which browsers resolve too) and encoded slashes are refused, so a panel cannot leave
 * its workspace.
 */
export function createPanelApi(workspaceId: string): PanelApi {
  const base = `/api/workspaces/${workspaceId}/`;
  const call = async <T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> => {
    const url = `${base}${checkedPath(path)}`;
    try {
      return await api<T>(method, url, body);
    } catch (error) {
      // ApiError is an Error carrying the server's message; others become one with a sentence.
      if (isApiError(error)) throw error;
      throw new Error(errorMessage(error));
    }
  };
  return {
    get: (path) => call('GET', path),
    post: (path, body) => call('POST', path, body),
  };
}

/** The path when it stays inside the workspace's API; throws otherwise. */
export function checkedPath(path: string): string {
  if (typeof path !== 'string' || path.trim() === '') {
    throw new Error('A panel API path must be a non-empty relative path, like "connections".');
  }
  const [route = ''] = path.split(/[?#]/, 1);
  const refused =
    /^[a-z][a-z\d+.-]*:/i.test(path) ||
    path.startsWith('/') ||
    path.includes('\\') ||
    /%2f|%5c/i.test(route) ||
    route.split('/').some((segment) => /^(\.|%2e){1,2}$/i.test(segment));
  if (refused) {
    throw new Error(
      `A panel may only call its workspace's API with a relative path like "connections", not "${path}".`,
    );
  }
  return path;
}

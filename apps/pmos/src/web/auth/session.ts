import { queryOptions, useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import type { Me } from '../../api/schemas.js';
import { ApiError, api } from '../lib/api.js';
import { queryClient, whenUnauthenticated } from '../lib/query-client.js';

/** `/api/me` drives everything about the session: null means signed out. */
export const meQuery = queryOptions({
  queryKey: ['me'],
  queryFn: async (): Promise<Me | null> => {
    try {
      return await api<Me>('GET', '/api/me');
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) return null;
      throw error;
    }
  },
  staleTime: 60_000,
});

// Whether the session ended by itself (expired, revoked elsewhere) rather than by signing out:
// only then is the current page worth coming back to after signing in again.
let endedUnexpectedly = false;

whenUnauthenticated(() => {
  endedUnexpectedly = true;
  queryClient.setQueryData(meQuery.queryKey, null);
});

export function sessionEndedUnexpectedly(): boolean {
  return endedUnexpectedly;
}

/** The signed-in person. Only for components under the signed-in routes. */
export function useMe(): Me {
  const { data } = useQuery(meQuery);
  if (!data) throw new Error('useMe() used outside the signed-in part of the app');
  return data;
}

/** Stores the fresh session after sign-in, sign-up or accepting an invite. */
export function rememberSession(me: Me): void {
  endedUnexpectedly = false;
  queryClient.setQueryData(meQuery.queryKey, me);
}

/** Drops every cached answer, so nothing of one person shows for the next, and goes to sign-in. */
export function useForgetSession() {
  const client = useQueryClient();
  const navigate = useNavigate();
  return () => {
    endedUnexpectedly = false;
    client.clear();
    client.setQueryData(meQuery.queryKey, null);
    navigate('/sign-in', { replace: true });
  };
}

/** Signs out here (or everywhere) and forgets the session even if the server already had. */
export function useSignOut() {
  const forget = useForgetSession();
  return async (everywhere = false) => {
    try {
      await api<void>('POST', everywhere ? '/api/auth/sign-out-everywhere' : '/api/auth/sign-out');
    } catch (error) {
      if (!(error instanceof ApiError && error.status === 401)) throw error;
    }
    forget();
  };
}

/** Only same-app paths are followed after sign-in, never another origin. */
export function safeNext(next: string | null): string {
  if (!next?.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return '/';
  return next;
}

import { useQuery } from '@tanstack/react-query';

export type Readiness =
  | { state: 'checking' }
  | { state: 'ready' }
  | { state: 'not_ready'; reason: string }
  | { state: 'offline' };

async function checkReadiness(): Promise<Readiness> {
  try {
    const response = await fetch('/readyz', { headers: { accept: 'application/json' } });
    const body = (await response.json()) as { status: string; reason?: string };
    return response.ok
      ? { state: 'ready' }
      : { state: 'not_ready', reason: body.reason ?? 'The server is not ready yet.' };
  } catch {
    return { state: 'offline' };
  }
}

/**
 * Polls `/readyz` so the page tells the truth about the server, and recovers on its own.
 * One shared query: every indicator on the page shows the same answer.
 */
export function useReadiness(intervalMs = 10_000): Readiness {
  const { data } = useQuery({
    queryKey: ['readiness'],
    queryFn: checkReadiness,
    refetchInterval: intervalMs,
    staleTime: intervalMs / 2,
  });
  return data ?? { state: 'checking' };
}

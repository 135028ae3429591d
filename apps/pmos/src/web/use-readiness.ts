import { useEffect, useState } from 'react';

export type Readiness =
  | { state: 'checking' }
  | { state: 'ready' }
  | { state: 'not_ready'; reason: string }
  | { state: 'offline' };

/** Polls `/readyz` so the page tells the truth about the server, and recovers on its own. */
export function useReadiness(intervalMs = 10_000): Readiness {
  const [readiness, setReadiness] = useState<Readiness>({ state: 'checking' });
  useEffect(() => {
    let cancelled = false;
    const check = async () => {
      try {
        const response = await fetch('/readyz', { headers: { accept: 'application/json' } });
        const body = (await response.json()) as { status: string; reason?: string };
        if (cancelled) return;
        setReadiness(
          response.ok
            ? { state: 'ready' }
            : { state: 'not_ready', reason: body.reason ?? 'The server is not ready yet.' },
        );
      } catch {
        if (!cancelled) setReadiness({ state: 'offline' });
      }
    };
    void check();
    const timer = setInterval(check, intervalMs);
    return () => {
      cancelled = true;
      clearInterval(timer);
    };
  }, [intervalMs]);
  return readiness;
}

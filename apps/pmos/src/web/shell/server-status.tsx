import { type Readiness, useReadiness } from '../use-readiness.js';

export const readinessText: Record<Readiness['state'], string> = {
  checking: 'Checking…',
  ready: 'Ready',
  not_ready: 'Not ready',
  offline: 'Unreachable',
};

/** A small live indicator of the server's `/readyz`. */
export function ServerStatus() {
  const readiness = useReadiness();
  return (
    <output className={`server-status server-status--${readiness.state}`} aria-live="polite">
      <span className="server-status-dot" aria-hidden="true" />
      Server: {readinessText[readiness.state]}
    </output>
  );
}

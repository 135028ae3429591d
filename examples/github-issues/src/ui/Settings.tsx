/**
 * The "GitHub connection" panel, shown on the connector's settings page
 * (`integrations.connector.settings`). Exposed by the UI remote as `./Settings`; it only
 * talks to PMOS through `props.api`, with the viewer's own rights.
 */
import { definePanel, type PanelProps } from '@pmos/sdk/ui';
import { type CSSProperties, useCallback, useEffect, useState } from 'react';

/** A connection as the PMOS API returns it (GET connections). Declared here: no host import. */
interface Connection {
  id: string;
  pluginId: string;
  connectorId: string;
  displayName: string;
  authKind: string;
  /** Never the token: e.g. "••••3f9a". */
  mask: string;
  status: 'healthy' | 'failing' | 'untested';
  lastCheck: { ok: boolean; message: string; checkedAt: string } | null;
  createdAt: string;
  updatedAt: string;
}

const NEW_TOKEN_URL = 'https://github.com/settings/personal-access-tokens/new';

type Load =
  | { kind: 'loading' }
  | { kind: 'error'; message: string }
  | { kind: 'ready'; connections: Connection[] };

const statusText: Record<Connection['status'], string> = {
  healthy: 'Connected',
  failing: 'Not working',
  untested: 'Not tested yet',
};
const statusColor: Record<Connection['status'], string> = {
  healthy: '#1a7f37',
  failing: '#cf222e',
  untested: '#6e7781',
};

const styles = {
  root: {
    fontFamily: 'inherit',
    fontSize: 14,
    lineHeight: 1.5,
    display: 'grid',
    gap: 12,
  },
  card: {
    border: '1px solid #d0d7de',
    borderRadius: 8,
    padding: 12,
    display: 'grid',
    gap: 4,
  },
  row: { display: 'flex', alignItems: 'center', gap: 8, flexWrap: 'wrap' },
  name: { fontWeight: 600 },
  muted: { color: '#57606a' },
  dot: (color: string): CSSProperties => ({
    width: 8,
    height: 8,
    borderRadius: '50%',
    background: color,
    display: 'inline-block',
  }),
  button: {
    marginLeft: 'auto',
    padding: '4px 12px',
    borderRadius: 6,
    border: '1px solid #d0d7de',
    background: '#f6f8fa',
    cursor: 'pointer',
    font: 'inherit',
  },
  error: { color: '#cf222e' },
} satisfies Record<string, CSSProperties | ((c: string) => CSSProperties)>;

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** "3 minutes ago", "yesterday" … in the viewer's language, with the exact time on hover. */
function whenChecked(iso: string, now = Date.now()): string {
  const seconds = Math.round((new Date(iso).getTime() - now) / 1000);
  const format = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });
  const units: [Intl.RelativeTimeFormatUnit, number][] = [
    ['day', 86_400],
    ['hour', 3_600],
    ['minute', 60],
  ];
  for (const [unit, size] of units) {
    if (Math.abs(seconds) >= size) return format.format(Math.round(seconds / size), unit);
  }
  return format.format(0, 'second');
}

function ConnectionCard(props: { connection: Connection; onTest: () => Promise<void> }) {
  const { connection } = props;
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const test = async () => {
    setBusy(true);
    setError(null);
    try {
      await props.onTest();
    } catch (e) {
      setError(`The test could not run: ${messageOf(e)}`);
    } finally {
      setBusy(false);
    }
  };
  const check = connection.lastCheck;
  return (
    <li style={styles.card} data-testid="github-connection" data-status={connection.status}>
      <div style={styles.row}>
        <span style={styles.dot(statusColor[connection.status])} aria-hidden="true" />
        <span style={styles.name}>{connection.displayName}</span>
        <span>{statusText[connection.status]}</span>
        <span style={styles.muted}>token {connection.mask}</span>
        <button type="button" style={styles.button} onClick={test} disabled={busy} aria-busy={busy}>
          {busy ? 'Testing…' : 'Test again'}
        </button>
      </div>
      {check ? (
        <div>
          <span style={check.ok ? undefined : styles.error}>{check.message}</span>{' '}
          <span style={styles.muted}>
            · checked{' '}
            <time dateTime={check.checkedAt} title={new Date(check.checkedAt).toLocaleString()}>
              {whenChecked(check.checkedAt)}
            </time>
          </span>
        </div>
      ) : (
        <div style={styles.muted}>Not checked yet: press “Test again” to try the token.</div>
      )}
      {error ? (
        <div role="alert" style={styles.error}>
          {error}
        </div>
      ) : null}
    </li>
  );
}

export function Settings(props: PanelProps<'integrations.connector.settings'>) {
  const { api, context } = props;
  const [load, setLoad] = useState<Load>({ kind: 'loading' });

  const refresh = useCallback(async () => {
    setLoad({ kind: 'loading' });
    try {
      const result = await api.get<{ data: Connection[] }>('connections?pluginId=github-issues');
      const connections = result.data.filter(
        (c) =>
          c.connectorId === context.connectorId &&
          (!context.connectionId || c.id === context.connectionId),
      );
      setLoad({ kind: 'ready', connections });
    } catch (error) {
      setLoad({ kind: 'error', message: messageOf(error) });
    }
  }, [api, context.connectorId, context.connectionId]);

  useEffect(() => {
    void refresh();
  }, [refresh]);

  const testAgain = async (id: string) => {
    const updated = await api.post<Connection>(`connections/${encodeURIComponent(id)}/test`);
    setLoad((current) =>
      current.kind === 'ready'
        ? {
            kind: 'ready',
            connections: current.connections.map((c) => (c.id === id ? updated : c)),
          }
        : current,
    );
  };

  return (
    <section
      style={styles.root}
      data-testid="github-issues-settings"
      aria-busy={load.kind === 'loading'}
    >
      {load.kind === 'loading' ? <p style={styles.muted}>Loading GitHub connections…</p> : null}
      {load.kind === 'error' ? (
        <div role="alert" style={styles.row}>
          <span style={styles.error}>
            The GitHub connections could not be loaded: {load.message}
          </span>
          <button type="button" style={styles.button} onClick={() => void refresh()}>
            Try again
          </button>
        </div>
      ) : null}
      {load.kind === 'ready' && load.connections.length === 0 ? (
        <div>
          <p>No GitHub connection yet.</p>
          <p style={styles.muted}>
            Create a fine-grained personal access token on GitHub (
            <a href={NEW_TOKEN_URL} target="_blank" rel="noreferrer">
              {NEW_TOKEN_URL}
            </a>
            ): pick the repositories PMOS may use and give “Issues” read and write access. Then add
            a connection here with that token.
          </p>
        </div>
      ) : null}
      {load.kind === 'ready' && load.connections.length > 0 ? (
        <ul style={{ listStyle: 'none', margin: 0, padding: 0, display: 'grid', gap: 8 }}>
          {load.connections.map((c) => (
            <ConnectionCard key={c.id} connection={c} onTest={() => testAgain(c.id)} />
          ))}
        </ul>
      ) : null}
    </section>
  );
}

export default definePanel({
  slot: 'integrations.connector.settings',
  displayName: 'GitHub connection',
  component: Settings,
});

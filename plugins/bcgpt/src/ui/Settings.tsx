/**
 * The "Basecamp (BCGPT) connection" panel on the connector's settings page
 * (`integrations.connector.settings`): each connection's state in plain language, the
 * BCGPT link to connect or re-link Basecamp, and a "Test again" button. It only talks to
 * PMOS through `props.api`, with the viewer's own rights.
 */
import { definePanel, type PanelProps } from '@pmos/sdk/ui';
import { type CSSProperties, useCallback, useEffect, useState } from 'react';
import { type ConnectionView, PUBLIC_CONNECT_URL, viewOfCheck } from './connection-link.js';

/** A connection as the PMOS API returns it (GET connections). Declared here: no host import. */
interface Connection {
  id: string;
  connectorId: string;
  displayName: string;
  /** Never the key: e.g. "••••". */
  mask: string;
  status: 'healthy' | 'failing' | 'untested';
  lastCheck: { ok: boolean; message: string; checkedAt: string } | null;
}

type Load =
  | { kind: 'loading' }
  | { kind: 'error'; message: string }
  | { kind: 'ready'; connections: Connection[] };

const color: Record<ConnectionView['kind'], string> = {
  linked: '#1a7f37',
  needs_link: '#9a6700',
  failing: '#cf222e',
  untested: '#6e7781',
};
const headline: Record<ConnectionView['kind'], string> = {
  linked: 'Connected to Basecamp',
  needs_link: 'Basecamp is not linked',
  failing: 'Not working',
  untested: 'Not tested yet',
};

const styles = {
  root: { fontFamily: 'inherit', fontSize: 14, lineHeight: 1.5, display: 'grid', gap: 12 },
  list: { listStyle: 'none', margin: 0, padding: 0, display: 'grid', gap: 8 },
  card: { border: '1px solid #d0d7de', borderRadius: 8, padding: 12, display: 'grid', gap: 6 },
  row: { display: 'flex', alignItems: 'center', gap: 8, flexWrap: 'wrap' },
  name: { fontWeight: 600 },
  muted: { color: '#57606a' },
  button: {
    marginLeft: 'auto',
    padding: '4px 12px',
    borderRadius: 6,
    border: '1px solid #d0d7de',
    background: '#f6f8fa',
    cursor: 'pointer',
    font: 'inherit',
  },
  link: { fontWeight: 600 },
  error: { color: '#cf222e' },
} satisfies Record<string, CSSProperties>;

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

function ConnectionCard(props: { connection: Connection; onTest: () => Promise<void> }) {
  const { connection } = props;
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const view = viewOfCheck(connection.lastCheck);
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
  return (
    <li style={styles.card} data-testid="bcgpt-connection" data-state={view.kind}>
      <div style={styles.row}>
        <span
          aria-hidden="true"
          style={{ width: 8, height: 8, borderRadius: '50%', background: color[view.kind] }}
        />
        <span style={styles.name}>{connection.displayName}</span>
        <span>{headline[view.kind]}</span>
        <button type="button" style={styles.button} onClick={test} disabled={busy} aria-busy={busy}>
          {busy ? 'Testing…' : 'Test again'}
        </button>
      </div>
      <div style={view.kind === 'failing' ? styles.error : undefined}>{view.text}</div>
      {view.kind === 'needs_link' || (view.kind === 'failing' && view.link) ? (
        <a
          style={styles.link}
          href={view.link ?? PUBLIC_CONNECT_URL}
          target="_blank"
          rel="noreferrer"
        >
          {view.kind === 'needs_link' ? 'Link Basecamp in BCGPT' : 'Open BCGPT'}
        </a>
      ) : null}
      {connection.lastCheck ? (
        <time style={styles.muted} dateTime={connection.lastCheck.checkedAt}>
          Checked {new Date(connection.lastCheck.checkedAt).toLocaleString()}
        </time>
      ) : null}
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
      const result = await api.get<{ data: Connection[] }>('connections?pluginId=bcgpt');
      setLoad({
        kind: 'ready',
        connections: result.data.filter(
          (c) =>
            c.connectorId === context.connectorId &&
            (!context.connectionId || c.id === context.connectionId),
        ),
      });
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
    <section style={styles.root} data-testid="bcgpt-settings" aria-busy={load.kind === 'loading'}>
      {load.kind === 'loading' ? <p style={styles.muted}>Loading BCGPT connections…</p> : null}
      {load.kind === 'error' ? (
        <div role="alert" style={styles.row}>
          <span style={styles.error}>
            The BCGPT connections could not be loaded: {load.message}
          </span>
          <button type="button" style={styles.button} onClick={() => void refresh()}>
            Try again
          </button>
        </div>
      ) : null}
      {load.kind === 'ready' && load.connections.length === 0 ? (
        <div>
          <p>No Basecamp connection yet.</p>
          <p style={styles.muted}>
            Open the BCGPT connect page (
            <a href={PUBLIC_CONNECT_URL} target="_blank" rel="noreferrer">
              {PUBLIC_CONNECT_URL}
            </a>
            ), sign in with Basecamp and copy your BCGPT API key. Then add a connection here with
            that key.
          </p>
        </div>
      ) : null}
      {load.kind === 'ready' && load.connections.length > 0 ? (
        <ul style={styles.list}>
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
  displayName: 'Basecamp (BCGPT) connection',
  component: Settings,
});

import { definePanel, type PanelProps } from '@pmos/sdk/ui';
import { useEffect, useState } from 'react';

/** `GET /api/workspaces/:id/connections`, as much of it as this widget reads. */
interface ConnectionList {
  data: { id: string; displayName: string; status: 'healthy' | 'failing' | 'untested' }[];
}

type Loaded =
  | { state: 'loading' }
  | { state: 'ready'; failing: number; total: number }
  | {
      state: 'error';
      message: string;
    };

/**
 * The widget. `api` calls the PMOS API as the person looking at the dashboard, limited to
 * this workspace: it can never do more than they can.
 */
function Widget({ workspace, api }: PanelProps<'workspace.dashboard.widget'>) {
  const [loaded, setLoaded] = useState<Loaded>({ state: 'loading' });
  useEffect(() => {
    let current = true;
    api.get<ConnectionList>('connections').then(
      (list) => {
        if (!current) return;
        const failing = list.data.filter((c) => c.status === 'failing').length;
        setLoaded({ state: 'ready', failing, total: list.data.length });
      },
      (error: unknown) => {
        if (current) setLoaded({ state: 'error', message: String(error) });
      },
    );
    return () => {
      current = false;
    };
  }, [api]);

  return (
    <section>
      <p>Hello, {workspace.name}.</p>
      {loaded.state === 'loading' && <p>Checking connections…</p>}
      {loaded.state === 'error' && <p role="alert">Could not load connections: {loaded.message}</p>}
      {loaded.state === 'ready' && (
        <p>
          {loaded.total} connection(s), {loaded.failing} failing.
        </p>
      )}
    </section>
  );
}

/** The exposed module's default export: PMOS checks it with `isPanelDefinition`. */
export default definePanel({
  slot: 'workspace.dashboard.widget',
  displayName: '{{displayName}}',
  component: Widget,
});

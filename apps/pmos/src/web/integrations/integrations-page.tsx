import { Alert, Button, EmptyState } from '@pmos/ui';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import type { Catalog, Connection, List } from '../api-types.js';
import { LockIcon, PlugIcon } from '../common/icons.js';
import { PageHeader } from '../common/page-header.js';
import { QueryStates } from '../common/query-states.js';
import { useNow } from '../common/use-now.js';
import { api } from '../lib/api.js';
import { PluginPanels } from '../plugins/plugin-panels.js';
import { useWorkspace } from '../shell/use-workspace.js';
import { type Connectable, ConnectorCard, connectionsKey } from './connector-card.js';
import { type SignInDraft, useSignInOutcome } from './oauth2-sign-in.js';

/** `/w/:id/integrations`: the connectors of the enabled plugins and their connections. */
export function IntegrationsPage() {
  const { workspace, can } = useWorkspace();
  const settings = `/w/${workspace.id}/settings/plugins`;
  return (
    <>
      <PageHeader
        title="Integrations"
        description="Connect the systems your company already uses."
        actions={
          can('plugins.manage') ? (
            <Button asChild variant="secondary">
              <Link to={settings}>Manage plugins</Link>
            </Button>
          ) : undefined
        }
      />
      {can('connections.read') ? (
        <Integrations />
      ) : (
        <EmptyState
          icon={<LockIcon />}
          title="Your role cannot see this workspace's connections"
          description="Ask an admin of this workspace if you need access."
        />
      )}
    </>
  );
}

function Integrations() {
  const { workspace, can } = useWorkspace();
  const now = useNow(30_000);
  const canManage = can('connections.manage');
  const outcome = useSignInOutcome(workspace.id);
  const [retry, setRetry] = useState<SignInDraft | null>(null);
  const catalog = useQuery({
    queryKey: ['workspaces', workspace.id, 'catalog'],
    queryFn: () => api<Catalog>('GET', `/api/workspaces/${workspace.id}/catalog`),
    // Connectors that need no account (Core's steps) have nothing to connect here.
    select: (data) => ({
      ...data,
      connectors: data.connectors.filter((c) => c.auth.kind !== 'none'),
    }),
  });
  const connections = useQuery({
    queryKey: connectionsKey(workspace.id),
    queryFn: () => api<List<Connection>>('GET', `/api/workspaces/${workspace.id}/connections`),
  });
  const signedIn = outcome && 'connectionId' in outcome ? outcome.connectionId : undefined;
  const failed = outcome && 'error' in outcome ? outcome : null;

  // Connections of plugins disabled here stay saved, out of sight: say so, wherever they are.
  const shown = new Set(
    catalog.data
      ? [...catalog.data.connectors, ...catalog.data.aiProviders].map(
          (c) => `${c.pluginId}/${c.id}`,
        )
      : [],
  );
  const hidden =
    catalog.isSuccess && connections.isSuccess
      ? connections.data.data.filter((c) => !shown.has(`${c.pluginId}/${c.connectorId}`)).length
      : 0;
  // The failed sign-in can start again when this tab started it and its connector is here.
  const draft = failed?.draft;
  const again =
    canManage && draft && shown.has(`${draft.pluginId}/${draft.connectorId}`) ? draft : null;

  return (
    <div className="stack-lg">
      {failed && !retry ? (
        <Alert tone="danger" title="Signing in did not finish">
          <p>{failed.error}</p>
          {again ? (
            <Button variant="secondary" size="sm" onClick={() => setRetry(again)}>
              Try again
            </Button>
          ) : catalog.isSuccess ? (
            <p>To try again, choose Add connection on the connector you were connecting.</p>
          ) : null}
        </Alert>
      ) : null}
      <QueryStates
        query={catalog}
        loading="Loading integrations…"
        isEmpty={(data) => data.connectors.length === 0 && data.aiProviders.length === 0}
        empty={<NoIntegrations />}
      >
        {({ connectors, aiProviders }) => (
          <QueryStates query={connections} loading="Loading connections…">
            {(list) => {
              const card = (connectable: Connectable, mine: Connection[]) => (
                <ConnectorCard
                  workspaceId={workspace.id}
                  connector={connectable}
                  connections={mine}
                  canManage={canManage}
                  now={now}
                  signedIn={signedIn}
                  retry={
                    retry?.pluginId === connectable.pluginId && retry.connectorId === connectable.id
                      ? retry
                      : undefined
                  }
                />
              );
              const of = (c: Pick<Connectable, 'pluginId' | 'id'>) =>
                list.data.filter((x) => x.pluginId === c.pluginId && x.connectorId === c.id);
              return (
                <>
                  {aiProviders.length > 0 && connectors.length > 0 ? (
                    <h2 className="section-title">Connectors</h2>
                  ) : null}
                  {connectors.map((connector) => {
                    const mine = of(connector);
                    return (
                      <section
                        key={`${connector.pluginId}/${connector.id}`}
                        className="integration"
                        aria-label={connector.displayName}
                      >
                        {card(connector, mine)}
                        {/* Panels read connections themselves: a change here remounts them. */}
                        <PluginPanels
                          key={mine
                            .map((c) => `${c.id}:${c.updatedAt}:${c.lastCheck?.checkedAt}`)
                            .join()}
                          slot="integrations.connector.settings"
                          context={{ connectorId: connector.id }}
                          pluginId={connector.pluginId}
                        />
                      </section>
                    );
                  })}
                  {aiProviders.length > 0 ? <h2 className="section-title">AI providers</h2> : null}
                  {aiProviders.map((provider) => (
                    <section
                      key={`${provider.pluginId}/${provider.id}`}
                      className="integration"
                      aria-label={provider.displayName}
                    >
                      {card({ ...provider, hasRemoteTools: false }, of(provider))}
                    </section>
                  ))}
                </>
              );
            }}
          </QueryStates>
        )}
      </QueryStates>
      {hidden > 0 ? (
        <p className="muted small">
          {hidden === 1
            ? '1 saved connection belongs to a plugin that is not enabled here. It comes back when the plugin is enabled again.'
            : `${hidden} saved connections belong to plugins that are not enabled here. They come back when their plugins are enabled again.`}
        </p>
      ) : null}
    </div>
  );
}

/** No enabled plugin brings a connector: say where they come from and who turns them on. */
function NoIntegrations() {
  const { workspace, can } = useWorkspace();
  const canEnable = can('plugins.manage');
  return (
    <EmptyState
      icon={<PlugIcon />}
      title="No integrations to connect yet"
      description={
        canEnable
          ? 'Integrations come from plugins. Enable a plugin — GitHub Issues, for example — under Settings › Plugins, and its connectors show up here, ready to connect.'
          : 'Integrations come from plugins, which a workspace admin enables under Settings › Plugins. Ask an admin of this workspace to enable the one you need.'
      }
      action={
        canEnable ? (
          <Button asChild>
            <Link to={`/w/${workspace.id}/settings/plugins`}>Open Settings › Plugins</Link>
          </Button>
        ) : undefined
      }
    />
  );
}

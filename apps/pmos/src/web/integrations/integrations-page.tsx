import { Button, EmptyState } from '@pmos/ui';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import type { Catalog, Connection, List, WorkspacePlugin } from '../api-types.js';
import { LockIcon, PlugIcon } from '../common/icons.js';
import { PageHeader } from '../common/page-header.js';
import { QueryStates } from '../common/query-states.js';
import { useNow } from '../common/use-now.js';
import { api } from '../lib/api.js';
import { PluginPanels } from '../plugins/plugin-panels.js';
import { pluginsKey } from '../plugins/use-plugin-remotes.js';
import { useWorkspace } from '../shell/use-workspace.js';
import { type Connectable, ConnectorCard, connectionsKey } from './connector-card.js';

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
  const catalog = useQuery({
    queryKey: ['workspaces', workspace.id, 'catalog'],
    queryFn: () => api<Catalog>('GET', `/api/workspaces/${workspace.id}/catalog`),
  });
  const connections = useQuery({
    queryKey: connectionsKey(workspace.id),
    queryFn: () => api<List<Connection>>('GET', `/api/workspaces/${workspace.id}/connections`),
  });
  // Only for the plugins' names; the page works without them.
  const plugins = useQuery({
    queryKey: [...pluginsKey(workspace.id), 'list'],
    queryFn: () => api<List<WorkspacePlugin>>('GET', `/api/workspaces/${workspace.id}/plugins`),
  });
  const pluginName = (id: string) => plugins.data?.data.find((p) => p.id === id)?.displayName;

  const connectables = (
    data: Catalog,
  ): { connectors: Connectable[]; providers: Connectable[] } => ({
    connectors: data.connectors.map((c) => ({
      ...c,
      testable: c.hasHealthCheck,
      pluginName: pluginName(c.pluginId),
    })),
    providers: data.aiProviders.map((p) => ({
      ...p,
      testable: true,
      pluginName: pluginName(p.pluginId),
    })),
  });
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

  return (
    <div className="stack-lg">
      <QueryStates
        query={catalog}
        loading="Loading integrations…"
        isEmpty={(data) => data.connectors.length === 0 && data.aiProviders.length === 0}
        empty={<NoIntegrations />}
      >
        {(data) => {
          const { connectors, providers } = connectables(data);
          return (
            <QueryStates query={connections} loading="Loading connections…">
              {(list) => {
                const of = (c: Connectable) =>
                  list.data.filter((x) => x.pluginId === c.pluginId && x.connectorId === c.id);
                return (
                  <>
                    {providers.length > 0 && connectors.length > 0 ? (
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
                          <ConnectorCard
                            workspaceId={workspace.id}
                            connector={connector}
                            connections={mine}
                            canManage={canManage}
                            now={now}
                          />
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
                    {providers.length > 0 ? <h2 className="section-title">AI providers</h2> : null}
                    {providers.map((provider) => (
                      <section
                        key={`${provider.pluginId}/${provider.id}`}
                        className="integration"
                        aria-label={provider.displayName}
                      >
                        <ConnectorCard
                          workspaceId={workspace.id}
                          connector={provider}
                          connections={of(provider)}
                          canManage={canManage}
                          now={now}
                        />
                      </section>
                    ))}
                  </>
                );
              }}
            </QueryStates>
          );
        }}
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

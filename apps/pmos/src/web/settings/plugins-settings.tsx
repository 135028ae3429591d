import {
  Badge,
  Button,
  Card,
  CardContent,
  CardDescription,
  CardHeader,
  CardTitle,
  EmptyState,
} from '@pmos/ui';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import type { List, WorkspacePlugin } from '../api-types.js';
import { useMe } from '../auth/session.js';
import { ConfirmDialog } from '../common/confirm-dialog.js';
import { PuzzleIcon } from '../common/icons.js';
import { LiveNotice, type Notice } from '../common/live-notice.js';
import { QueryStates } from '../common/query-states.js';
import { api, errorMessage } from '../lib/api.js';
import { formatExactDateTime, formatRelative } from '../lib/format.js';
import { PluginContributions, PluginHosts, PluginItem } from '../plugins/plugin-facts.js';
import { pluginsKey } from '../plugins/use-plugin-remotes.js';
import { useWorkspace } from '../shell/use-workspace.js';
import { AdminsOnly } from './admins-only.js';

export function PluginsSettings() {
  const { can } = useWorkspace();
  if (!can('plugins.read')) return <AdminsOnly what="see the workspace's plugins" />;
  return <PluginList />;
}

function PluginList() {
  const { workspace, can } = useWorkspace();
  const me = useMe();
  const client = useQueryClient();
  const canManage = can('plugins.manage');
  const isInstanceAdmin = me.platformPermissions.includes('platform.manage');
  const listKey = [...pluginsKey(workspace.id), 'list'];
  const plugins = useQuery({
    queryKey: listKey,
    queryFn: () => api<List<WorkspacePlugin>>('GET', `/api/workspaces/${workspace.id}/plugins`),
  });
  const [notice, setNotice] = useState<Notice>(null);
  const [disabling, setDisabling] = useState<WorkspacePlugin | null>(null);

  const setEnabled = async (plugin: WorkspacePlugin, enabled: boolean) => {
    const updated = await api<WorkspacePlugin>(
      'PUT',
      `/api/workspaces/${workspace.id}/plugins/${plugin.id}`,
      { enabled },
    );
    client.setQueryData<List<WorkspacePlugin>>(listKey, (current) =>
      current
        ? { ...current, data: current.data.map((p) => (p.id === updated.id ? updated : p)) }
        : current,
    );
    // Panels, the catalog and whatever else reads the enabled plugins follow at once.
    await Promise.all([
      client.invalidateQueries({ queryKey: pluginsKey(workspace.id) }),
      client.invalidateQueries({ queryKey: ['workspaces', workspace.id, 'catalog'] }),
    ]);
    return updated;
  };

  const enable = useMutation({
    mutationFn: (plugin: WorkspacePlugin) => setEnabled(plugin, true),
    onMutate: () => setNotice(null),
    onSuccess: (plugin) =>
      setNotice({
        tone: 'success',
        text: (
          <>
            {plugin.displayName} is enabled.{' '}
            {plugin.contributes.connectors.length > 0 ? (
              <>
                Connect it in <Link to={`/w/${workspace.id}/integrations`}>Integrations</Link>.
              </>
            ) : null}
          </>
        ),
      }),
    onError: (error) => setNotice({ tone: 'danger', text: errorMessage(error) }),
  });

  return (
    <Card>
      <CardHeader>
        <CardTitle>Plugins</CardTitle>
        <CardDescription>
          Plugins add connectors, AI providers and panels to {workspace.name}. The instance
          administrator decides which plugins are offered; workspace admins turn them on here.
        </CardDescription>
      </CardHeader>
      <CardContent className="stack">
        <LiveNotice notice={notice} />
        <QueryStates
          query={plugins}
          loading="Loading plugins…"
          isEmpty={(data) => data.data.length === 0}
          empty={
            <EmptyState
              icon={<PuzzleIcon />}
              title="No plugins are offered on this instance yet"
              description="The instance administrator makes plugins available under Admin › Plugins."
              action={
                isInstanceAdmin ? (
                  <Button asChild variant="secondary">
                    <Link to="/admin/plugins">Open Admin › Plugins</Link>
                  </Button>
                ) : undefined
              }
            />
          }
        >
          {(data) => (
            <ul className="plugin-list">
              {data.data.map((plugin) => (
                <PluginItem
                  key={plugin.id}
                  plugin={plugin}
                  tag={<span className="muted small">Version {plugin.version}</span>}
                  badge={
                    plugin.enabled ? (
                      <Badge tone="success">Enabled</Badge>
                    ) : (
                      <Badge>Not enabled</Badge>
                    )
                  }
                  actions={
                    !canManage ? null : plugin.enabled ? (
                      <Button
                        variant="secondary"
                        aria-label={`Disable ${plugin.displayName}`}
                        onClick={() => {
                          setNotice(null);
                          setDisabling(plugin);
                        }}
                      >
                        Disable
                      </Button>
                    ) : (
                      <Button
                        aria-label={`Enable ${plugin.displayName}`}
                        loading={enable.isPending && enable.variables?.id === plugin.id}
                        onClick={() => enable.mutate(plugin)}
                      >
                        Enable
                      </Button>
                    )
                  }
                >
                  <PluginContributions contributes={plugin.contributes} />
                  <PluginHosts hosts={plugin.permissions.hosts} />
                  {plugin.enabled && plugin.enabledAt ? (
                    <p className="muted small" title={formatExactDateTime(plugin.enabledAt)}>
                      Enabled {formatRelative(plugin.enabledAt)}
                    </p>
                  ) : null}
                </PluginItem>
              ))}
            </ul>
          )}
        </QueryStates>
        {!canManage ? (
          <p className="muted small">Only workspace admins can enable or disable plugins.</p>
        ) : null}
      </CardContent>
      <ConfirmDialog
        open={disabling !== null}
        onClose={() => setDisabling(null)}
        title={`Disable ${disabling?.displayName ?? ''}?`}
        description={`Its actions, triggers and panels disappear from ${workspace.name} at once, and automations that use them stop working. Its connections stay saved and come back when you enable it again.`}
        confirmLabel="Disable plugin"
        onConfirm={async () => {
          if (!disabling) return;
          const plugin = await setEnabled(disabling, false);
          setNotice({
            tone: 'success',
            text: `${plugin.displayName} is disabled in ${workspace.name}.`,
          });
        }}
      />
    </Card>
  );
}

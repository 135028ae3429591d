import {
  Alert,
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
import type { AdminPlugin, List } from '../api-types.js';
import { ConfirmDialog } from '../common/confirm-dialog.js';
import { PuzzleIcon } from '../common/icons.js';
import { LiveNotice, type Notice } from '../common/live-notice.js';
import { QueryStates } from '../common/query-states.js';
import { api, errorMessage } from '../lib/api.js';
import { PluginContributions, PluginHosts, PluginItem } from '../plugins/plugin-facts.js';

const adminPluginsKey = ['admin', 'plugins'];

const sourceLabels: Record<AdminPlugin['source'], string> = {
  bundled: 'Bundled with PMOS',
  example: 'Example',
  installed: 'Installed',
};

const workspaces = (count: number) => `${count} ${count === 1 ? 'workspace' : 'workspaces'}`;

/** `/admin/plugins`: every plugin the instance found, why any was refused, and who may use it. */
export function AdminPlugins() {
  const client = useQueryClient();
  const plugins = useQuery({
    queryKey: adminPluginsKey,
    queryFn: () => api<List<AdminPlugin>>('GET', '/api/admin/plugins'),
  });
  const [notice, setNotice] = useState<Notice>(null);
  const [withdrawing, setWithdrawing] = useState<AdminPlugin | null>(null);

  const setAvailable = async (plugin: AdminPlugin, available: boolean) => {
    const updated = await api<AdminPlugin>('PUT', `/api/admin/plugins/${plugin.id}`, {
      available,
    });
    client.setQueryData<List<AdminPlugin>>(adminPluginsKey, (current) =>
      current
        ? { ...current, data: current.data.map((p) => (p.id === updated.id ? updated : p)) }
        : current,
    );
    // The super admin's own workspaces see the change at once.
    await client.invalidateQueries({
      predicate: (query) =>
        query.queryKey[0] === 'workspaces' &&
        (query.queryKey[2] === 'plugins' || query.queryKey[2] === 'catalog'),
    });
    return updated;
  };

  const offer = useMutation({
    mutationFn: (plugin: AdminPlugin) => setAvailable(plugin, true),
    onMutate: () => setNotice(null),
    onSuccess: (plugin) =>
      setNotice({
        tone: 'success',
        text: `${plugin.displayName} is available. Workspace admins can now enable it under Settings › Plugins.`,
      }),
    onError: (error) => setNotice({ tone: 'danger', text: errorMessage(error) }),
  });

  return (
    <Card>
      <CardHeader>
        <CardTitle>Plugins</CardTitle>
        <CardDescription>
          Every plugin this instance found: bundled with PMOS, examples from the repository, and
          installed ones. Workspaces see a plugin only once you make it available; their admins then
          enable it for their workspace.
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
              title="No plugins found"
              description={
                <>
                  PMOS looks for plugins in the repository's <code>plugins/</code> and{' '}
                  <code>examples/</code> folders and in the folder named by{' '}
                  <code>PMOS_PLUGINS_DIR</code>. Add one there and restart PMOS.
                </>
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
                  tag={<code className="muted small">{plugin.id}</code>}
                  badge={
                    plugin.status === 'refused' ? (
                      <Badge tone="danger">Refused</Badge>
                    ) : plugin.available ? (
                      <Badge tone="success">Available</Badge>
                    ) : (
                      <Badge>Not offered</Badge>
                    )
                  }
                  actions={
                    plugin.status !== 'loaded' ? null : plugin.available ? (
                      <Button
                        variant="secondary"
                        aria-label={`Withdraw ${plugin.displayName}`}
                        onClick={() => {
                          setNotice(null);
                          setWithdrawing(plugin);
                        }}
                      >
                        Withdraw
                      </Button>
                    ) : (
                      <Button
                        aria-label={`Make ${plugin.displayName} available`}
                        loading={offer.isPending && offer.variables?.id === plugin.id}
                        onClick={() => offer.mutate(plugin)}
                      >
                        Make available
                      </Button>
                    )
                  }
                >
                  {plugin.status === 'refused' ? (
                    <Alert tone="danger" title="PMOS did not load this plugin">
                      {plugin.problem ?? 'No reason was given.'}
                    </Alert>
                  ) : (
                    <PluginContributions contributes={plugin.contributes} />
                  )}
                  <PluginHosts hosts={plugin.permissions.hosts} />
                  <dl className="plugin-facts">
                    <div>
                      <dt>Source</dt>
                      <dd>{sourceLabels[plugin.source]}</dd>
                    </div>
                    <div>
                      <dt>Version</dt>
                      <dd>{plugin.version}</dd>
                    </div>
                    <div>
                      <dt>SDK</dt>
                      <dd>
                        <code>{plugin.sdk || '—'}</code>
                      </dd>
                    </div>
                    <div>
                      <dt>Enabled in</dt>
                      <dd>
                        {workspaces(plugin.enabledWorkspaces)}
                        {!plugin.available && plugin.enabledWorkspaces > 0 ? (
                          <span className="muted"> (off while not offered)</span>
                        ) : null}
                      </dd>
                    </div>
                  </dl>
                </PluginItem>
              ))}
            </ul>
          )}
        </QueryStates>
      </CardContent>
      <ConfirmDialog
        open={withdrawing !== null}
        onClose={() => setWithdrawing(null)}
        title={`Withdraw ${withdrawing?.displayName ?? ''}?`}
        description={withdrawDescription(withdrawing)}
        confirmLabel="Withdraw plugin"
        onConfirm={async () => {
          if (!withdrawing) return;
          const plugin = await setAvailable(withdrawing, false);
          setNotice({
            tone: 'success',
            text: `${plugin.displayName} is withdrawn. No workspace can use it until you make it available again.`,
          });
        }}
      />
    </Card>
  );
}

function withdrawDescription(plugin: AdminPlugin | null): string {
  if (!plugin) return '';
  if (plugin.enabledWorkspaces === 0) {
    return 'No workspace has it enabled. Workspace admins stop seeing it under Settings › Plugins.';
  }
  const n = plugin.enabledWorkspaces;
  return `It is enabled in ${workspaces(n)}. Withdrawing disables it there at once: its actions, triggers and panels disappear, and automations that use them stop working. If you make it available again, it comes back on in ${n === 1 ? 'that workspace' : 'those workspaces'}.`;
}

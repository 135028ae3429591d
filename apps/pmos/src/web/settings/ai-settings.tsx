import {
  Alert,
  Button,
  Card,
  CardContent,
  CardHeader,
  CardTitle,
  FormField,
  Select,
} from '@pmos/ui';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useState } from 'react';
import { Link } from 'react-router';
import type { Catalog, ChatSettings, Connection } from '../api-types.js';
import { LiveNotice, type Notice } from '../common/live-notice.js';
import { QueryStates } from '../common/query-states.js';
import { api, errorMessage } from '../lib/api.js';
import { useWorkspace } from '../shell/use-workspace.js';

interface ModelList {
  data: { id: string; displayName: string; contextWindow?: number }[];
}

/**
 * `Settings › AI`: which AI connection and model the operator agent uses. The connections are
 * the workspace's connections to AI providers; the models are what that key may use, asked
 * of the provider when the connection is chosen.
 */
export function AiSettings() {
  const { workspace, can } = useWorkspace();
  const client = useQueryClient();
  const editable = can('settings.manage');
  const [notice, setNotice] = useState<Notice>(null);
  const settingsKey = ['workspaces', workspace.id, 'chat', 'settings'];
  const settings = useQuery({
    queryKey: settingsKey,
    queryFn: () => api<ChatSettings>('GET', `/api/workspaces/${workspace.id}/chat/settings`),
  });
  const catalog = useQuery({
    queryKey: ['workspaces', workspace.id, 'catalog'],
    queryFn: () => api<Catalog>('GET', `/api/workspaces/${workspace.id}/catalog`),
  });
  const connections = useQuery({
    queryKey: ['workspaces', workspace.id, 'connections'],
    queryFn: () =>
      api<{ data: Connection[] }>('GET', `/api/workspaces/${workspace.id}/connections`),
  });
  const providers = catalog.data?.aiProviders ?? [];
  const aiConnections = (connections.data?.data ?? []).filter((c) =>
    providers.some((p) => p.pluginId === c.pluginId && p.id === c.connectorId),
  );

  const [connectionId, setConnectionId] = useState('');
  const [modelId, setModelId] = useState('');
  useEffect(() => {
    if (!settings.data) return;
    setConnectionId(settings.data.connectionId ?? '');
    setModelId(settings.data.modelId ?? '');
  }, [settings.data]);
  const connection = aiConnections.find((c) => c.id === connectionId);
  const models = useQuery({
    queryKey: ['workspaces', workspace.id, 'ai-models', connectionId],
    enabled: Boolean(connection),
    queryFn: () =>
      api<ModelList>(
        'POST',
        `/api/workspaces/${workspace.id}/plugins/${connection?.pluginId}/ai-providers/${connection?.connectorId}/models`,
        { connectionId },
      ),
  });

  const save = useMutation({
    mutationFn: () =>
      api<ChatSettings>('PUT', `/api/workspaces/${workspace.id}/chat/settings`, {
        connectionId: connectionId || null,
        modelId: connectionId ? modelId || null : null,
      }),
    onSuccess: (saved) => {
      client.setQueryData(settingsKey, saved);
      setNotice({
        tone: 'success',
        text: saved.configured ? 'Chat uses this model now.' : 'Chat is off.',
      });
    },
    onError: (error) => setNotice({ tone: 'danger', text: errorMessage(error) }),
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate();
  };

  return (
    <Card>
      <CardHeader>
        <CardTitle>AI model for chat</CardTitle>
      </CardHeader>
      <CardContent>
        <LiveNotice notice={notice} />
        <QueryStates query={connections} loading="Loading AI connections…">
          {() =>
            aiConnections.length === 0 ? (
              <Alert tone="info">
                No AI provider is connected yet.{' '}
                {can('connections.manage') ? (
                  <>
                    Connect OpenAI, Anthropic, Google or an OpenAI-compatible server (Ollama, vLLM,
                    LM Studio) in <Link to={`/w/${workspace.id}/integrations`}>Integrations</Link>,
                    then come back to choose its model.
                  </>
                ) : (
                  'Ask a workspace admin to connect one in Integrations.'
                )}
              </Alert>
            ) : (
              <form className="stack" onSubmit={submit}>
                <FormField label="AI connection" hint="Whose key the agent uses.">
                  <Select
                    value={connectionId}
                    disabled={!editable}
                    onChange={(event) => {
                      setConnectionId(event.target.value);
                      setModelId('');
                    }}
                  >
                    <option value="">None — chat is off</option>
                    {aiConnections.map((c) => (
                      <option key={c.id} value={c.id}>
                        {c.displayName}
                      </option>
                    ))}
                  </Select>
                </FormField>
                {connection ? (
                  <FormField
                    label="Model"
                    required
                    hint={
                      models.isPending
                        ? 'Asking the provider which models this key may use…'
                        : models.isError
                          ? undefined
                          : `${models.data?.data.length ?? 0} models available.`
                    }
                    error={models.isError ? errorMessage(models.error) : undefined}
                  >
                    <Select
                      value={modelId}
                      disabled={!editable || models.isPending}
                      onChange={(event) => setModelId(event.target.value)}
                    >
                      <option value="">Choose a model…</option>
                      {(models.data?.data ?? []).map((m) => (
                        <option key={m.id} value={m.id}>
                          {m.displayName}
                        </option>
                      ))}
                      {modelId && !models.data?.data.some((m) => m.id === modelId) ? (
                        <option value={modelId}>{modelId}</option>
                      ) : null}
                    </Select>
                  </FormField>
                ) : null}
                {editable ? (
                  <div>
                    <Button
                      type="submit"
                      variant="primary"
                      disabled={save.isPending || (Boolean(connectionId) && !modelId)}
                    >
                      {save.isPending ? 'Saving…' : 'Save'}
                    </Button>
                  </div>
                ) : (
                  <p className="muted">Only workspace admins change the model.</p>
                )}
              </form>
            )
          }
        </QueryStates>
      </CardContent>
    </Card>
  );
}

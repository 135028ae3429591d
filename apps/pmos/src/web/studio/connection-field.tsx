import { Button, Dialog, FormField } from '@pmos/ui';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import type { CatalogConnector, Connection, List } from '../api-types.js';
import { PlusIcon } from '../common/icons.js';
import { ConnectionForm, connectionsKey } from '../integrations/connector-card.js';
import { api, errorMessage } from '../lib/api.js';
import { OptionsCombo } from './options-combo.js';

/** `input.auth` holds `{{connections['<id>']}}`; this reads the id back. */
export function connectionIdOf(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const match = /^\s*\{\{\s*connections\[['"]([0-9a-f-]{36})['"]\]\s*\}\}\s*$/.exec(value);
  return match?.[1] ?? (/^[0-9a-f-]{36}$/.test(value.trim()) ? value.trim() : undefined);
}

export const connectionReference = (id: string) => `{{connections['${id}']}}`;

/**
 * The connection a step signs in with: the connector's connections as a dropdown, and
 * "Add connection" in place (OAuth2 sign-in leaves for the provider, so it opens Integrations).
 */
export function ConnectionField({
  workspaceId,
  connector,
  value,
  onChange,
  canManage,
  readOnly,
  problem,
}: {
  workspaceId: string;
  connector: CatalogConnector;
  value: unknown;
  onChange: (reference: string | undefined) => void;
  canManage: boolean;
  readOnly: boolean;
  problem?: string | undefined;
}) {
  const client = useQueryClient();
  const [adding, setAdding] = useState(false);
  const connections = useQuery({
    queryKey: [...connectionsKey(workspaceId), 'for', connector.pluginId, connector.id],
    queryFn: () =>
      api<List<Connection>>(
        'GET',
        `/api/workspaces/${workspaceId}/connections?${new URLSearchParams({
          pluginId: connector.pluginId,
          connectorId: connector.id,
        })}`,
      ),
  });
  const id = connectionIdOf(value);
  const list = connections.data?.data ?? [];
  const chosen = list.find((c) => c.id === id);
  return (
    <div className="studio-connection">
      <FormField
        label="Connection"
        required
        error={problem}
        hint={
          list.length === 0 && !connections.isPending
            ? `No ${connector.displayName} connection yet.`
            : `The ${connector.displayName} account this step acts as.`
        }
      >
        {readOnly ? (
          <output className="studio-readonly-value">{chosen?.displayName ?? 'Not set'}</output>
        ) : (
          <OptionsCombo
            label="Connection"
            options={list.map((c) => ({ label: `${c.displayName} (${c.mask})`, value: c.id }))}
            value={id}
            loading={connections.isPending}
            error={connections.isError ? errorMessage(connections.error) : null}
            onRetry={() => void connections.refetch()}
            placeholder="Choose a connection"
            onChange={(next) =>
              onChange(typeof next === 'string' ? connectionReference(next) : undefined)
            }
          />
        )}
      </FormField>
      {readOnly || !canManage ? null : connector.auth.kind === 'oauth2' ? (
        <Link className="studio-link-button" to={`/w/${workspaceId}/integrations`}>
          Sign in to {connector.displayName} in Integrations
        </Link>
      ) : (
        <Button variant="ghost" size="sm" onClick={() => setAdding(true)}>
          <PlusIcon /> Add connection
        </Button>
      )}
      <Dialog
        open={adding}
        onClose={() => setAdding(false)}
        title={`Connect ${connector.displayName}`}
        description="Saved encrypted; steps refer to it by name, never by its secret."
      >
        <ConnectionForm
          workspaceId={workspaceId}
          connector={connector}
          onCancel={() => setAdding(false)}
          onSaved={async (connection) => {
            await client.invalidateQueries({ queryKey: connectionsKey(workspaceId) });
            onChange(connectionReference(connection.id));
            setAdding(false);
          }}
        />
      </Dialog>
    </div>
  );
}

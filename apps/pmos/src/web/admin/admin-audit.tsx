import {
  Alert,
  Button,
  Card,
  CardContent,
  CardDescription,
  CardHeader,
  CardTitle,
  FormField,
  Input,
  Select,
} from '@pmos/ui';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { workspaceParamsSchema } from '../../api/schemas.js';
import type { AuditChainReport } from '../api-types.js';
import { shortId } from '../audit/audit-format.js';
import { AuditLog } from '../audit/audit-log.js';
import { useMe } from '../auth/session.js';
import { ShieldCheckIcon } from '../common/icons.js';
import { useUrlFilters } from '../common/use-url-filters.js';
import { api, errorMessage } from '../lib/api.js';

const other = 'other';
const workspaceId = workspaceParamsSchema.shape.workspaceId;

/** `/admin/audit`: every workspace's events and the instance's own, and the chain check. */
export function AdminAudit() {
  const me = useMe();
  const names = new Map(me.workspaces.map((workspace) => [workspace.id, workspace.name]));
  const filter = useUrlFilters();
  const workspace = filter.get('workspace');
  // A workspace the super admin is not a member of is typed in; it applies once it is a valid id.
  const [typing, setTyping] = useState(() =>
    workspace && workspace !== 'instance' && !names.has(workspace) ? workspace : null,
  );
  const typedError =
    typing && !workspaceId.safeParse(typing.trim()).success
      ? 'Paste a whole workspace ID, like 0b9c6c1e-…-4f2a.'
      : undefined;

  const setWorkspace = (value: string) => filter.set('workspace', value);

  const workspaceName = (id: string | null) =>
    id === null ? (
      <span className="muted">Instance</span>
    ) : (
      <span className="audit-ellipsis block" title={id}>
        {names.get(id) ?? <code>{shortId(id)}</code>}
      </span>
    );

  const scopeControls = (
    <>
      <FormField label="Workspace" className="audit-filter">
        <Select
          value={typing !== null ? other : workspace}
          onChange={(event) => {
            const value = event.target.value;
            setTyping(value === other ? '' : null);
            // Until a whole ID is typed, the log shows every workspace.
            setWorkspace(value === other ? '' : value);
          }}
        >
          <option value="">All workspaces</option>
          <option value="instance">Instance only</option>
          {me.workspaces.map((item) => (
            <option key={item.id} value={item.id}>
              {item.name}
            </option>
          ))}
          <option value={other}>Another workspace (enter ID)…</option>
        </Select>
      </FormField>
      {typing !== null ? (
        <FormField
          label="Workspace ID"
          error={typing ? typedError : undefined}
          className="audit-filter audit-filter-wide"
        >
          <Input
            value={typing}
            autoFocus
            autoComplete="off"
            spellCheck={false}
            placeholder="Workspace ID"
            className="mono"
            onChange={(event) => {
              const value = event.target.value;
              setTyping(value);
              const id = value.trim();
              setWorkspace(workspaceId.safeParse(id).success ? id : '');
            }}
          />
        </FormField>
      ) : null}
    </>
  );

  return (
    <>
      <VerifyChains names={names} />
      <AuditLog
        path="/api/admin/audit"
        queryKey={['admin', 'audit']}
        description="Events of every workspace and of the instance itself (sign-ups, super admin changes), newest first."
        scope={workspace ? { workspace } : {}}
        scopeControls={scopeControls}
        onClearFilters={() => setTyping(null)}
        workspaceLabel={workspaceName}
      />
    </>
  );
}

function VerifyChains({ names }: { names: Map<string, string> }) {
  const verify = useMutation({
    mutationFn: () => api<AuditChainReport>('GET', '/api/admin/audit/verify'),
  });
  const report = verify.data;
  const chainName = (chain: string) =>
    chain === 'instance'
      ? 'instance'
      : names.has(chain)
        ? `${names.get(chain)} (${shortId(chain)})`
        : chain;
  const events = report?.chains.reduce((sum, chain) => sum + chain.events, 0) ?? 0;
  const broken = report?.chains.filter((chain) => chain.firstBroken !== null) ?? [];

  return (
    <Card>
      <CardHeader className="card-header-row">
        <div className="card-header-text">
          <CardTitle>Audit chains</CardTitle>
          <CardDescription>
            Each workspace's events, and the instance's own, form a hash chain: changing or deleting
            a past event breaks it from that point on. Verification re-computes every link.
          </CardDescription>
        </div>
        <Button variant="secondary" loading={verify.isPending} onClick={() => verify.mutate()}>
          <ShieldCheckIcon />
          Verify audit chains
        </Button>
      </CardHeader>
      {verify.isError || report ? (
        <CardContent className="stack" aria-live="polite">
          {verify.isError ? (
            <Alert tone="danger" title="The chains could not be verified">
              {errorMessage(verify.error)}
            </Alert>
          ) : report?.intact ? (
            <Alert tone="success" title="All audit chains are intact">
              {count(report.chains.length, 'chain')} and {count(events, 'event')} checked; no event
              was changed or removed.
            </Alert>
          ) : (
            broken.map((chain) => (
              <Alert
                key={chain.chain}
                tone="danger"
                title={`Chain ${chainName(chain.chain)} broken at event #${chain.firstBroken?.seq}: ${chain.firstBroken?.reason}`}
              >
                Later events of this chain cannot be trusted. First broken event:{' '}
                <code>{chain.firstBroken?.id}</code>
              </Alert>
            ))
          )}
          {report && !report.intact ? (
            <p className="muted small">
              {count(report.chains.length - broken.length, 'other chain')} intact.
            </p>
          ) : null}
        </CardContent>
      ) : null}
    </Card>
  );
}

function count(n: number, noun: string): string {
  return `${n} ${n === 1 ? noun : `${noun}s`}`;
}

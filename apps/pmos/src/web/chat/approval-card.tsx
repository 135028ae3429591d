import { Alert, Badge, Button } from '@pmos/ui';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import type { Approval } from '../api-types.js';
import { api, errorMessage } from '../lib/api.js';
import { chatKey } from './use-live-conversation.js';

function timeLeft(expiresAt: string, now: number): string {
  const seconds = Math.max(0, Math.round((Date.parse(expiresAt) - now) / 1000));
  if (seconds >= 120) return `${Math.round(seconds / 60)} minutes`;
  return `${seconds} seconds`;
}

const statusText: Record<Approval['status'], string> = {
  pending: 'Waiting for a decision',
  approved: 'Approved',
  rejected: 'Rejected',
  expired: 'Expired — nothing was done',
};

/**
 * What the agent wants to do, exactly (tool and arguments), with Approve and Reject for people
 * who may decide. A pending card counts down to its expiry: after it, nothing happens.
 */
export function ApprovalCard({
  workspaceId,
  approval,
  canDecide,
}: {
  workspaceId: string;
  approval: Approval;
  canDecide: boolean;
}) {
  const client = useQueryClient();
  const [reason, setReason] = useState('');
  const [now, setNow] = useState(() => Date.now());
  const pending = approval.status === 'pending';
  useEffect(() => {
    if (!pending) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [pending]);
  const decide = useMutation({
    mutationFn: (decision: 'approve' | 'reject') =>
      api<Approval>(
        'POST',
        `/api/workspaces/${workspaceId}/chat/approvals/${approval.id}/decision`,
        {
          decision,
          ...(decision === 'reject' && reason.trim() ? { reason: reason.trim() } : {}),
        },
      ),
    onSettled: () => client.invalidateQueries({ queryKey: chatKey(workspaceId) }),
  });
  const expiredHere = pending && Date.parse(approval.expiresAt) <= now;
  return (
    <section
      className={`approval-card approval-card--${approval.status}`}
      aria-label={`Approval: ${approval.title}`}
    >
      <header className="approval-card__header">
        <strong>{approval.title}</strong>
        <Badge tone={approval.risk === 'destructive' ? 'danger' : 'primary'}>
          {approval.risk === 'destructive' ? 'Destroys data' : 'Makes changes'}
        </Badge>
        <span className="muted">
          {statusText[approval.status]}
          {pending && !expiredHere ? ` · expires in ${timeLeft(approval.expiresAt, now)}` : ''}
          {approval.reason ? ` · “${approval.reason}”` : ''}
        </span>
      </header>
      <p className="muted approval-card__tool">
        Tool <code>{approval.tool}</code>
        {approval.pluginId ? ` of ${approval.pluginId} ${approval.pluginVersion ?? ''}` : ''}
      </p>
      <pre className="approval-card__arguments">{JSON.stringify(approval.arguments, null, 2)}</pre>
      {pending && canDecide && !expiredHere ? (
        <div className="approval-card__actions">
          <input
            className="pmos-input"
            aria-label="Reason (optional, shown to the agent when you reject)"
            placeholder="Reason (optional)"
            value={reason}
            onChange={(event) => setReason(event.target.value)}
          />
          <Button
            variant="primary"
            disabled={decide.isPending}
            onClick={() => decide.mutate('approve')}
          >
            Approve
          </Button>
          <Button
            variant="secondary"
            disabled={decide.isPending}
            onClick={() => decide.mutate('reject')}
          >
            Reject
          </Button>
        </div>
      ) : null}
      {pending && !canDecide ? (
        <p className="muted">Someone who may approve changes in this workspace has to decide.</p>
      ) : null}
      {decide.isError ? <Alert tone="danger">{errorMessage(decide.error)}</Alert> : null}
    </section>
  );
}

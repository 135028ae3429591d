import { Alert } from '@pmos/ui';
import type { ChatEvent, ChatTurn, ConversationDetail } from '../api-types.js';
import { ApprovalCard } from './approval-card.js';

const turnStatusText: Record<ChatTurn['status'], string> = {
  running: 'Working…',
  awaiting_approval: 'Waiting for approval',
  completed: '',
  failed: 'Failed',
};

/** The agent's words in one turn: its plans and answers, then what is streaming now. */
function agentText(turn: ChatTurn, events: ChatEvent[], streaming: string | undefined): string[] {
  const said = events
    .filter((e) => e.turnId === turn.id && (e.type === 'plan' || e.type === 'message'))
    .map((e) => String(e.data.text ?? ''));
  return streaming ? [...said, streaming] : said;
}

/**
 * Where a turn stands. Its row is written a moment after the events that say so (the pause
 * for an approval, the end), and a refetch may read it in between: the trace decides then.
 */
export function turnStatusOf(turn: ChatTurn, detail: ConversationDetail): ChatTurn['status'] {
  const ended = detail.events.findLast(
    (e) => e.turnId === turn.id && (e.type === 'turn.finished' || e.type === 'turn.failed'),
  );
  if (ended) return ended.type === 'turn.failed' ? 'failed' : 'completed';
  const pending = detail.approvals.some((a) => a.turnId === turn.id && a.status === 'pending');
  return pending ? 'awaiting_approval' : turn.status;
}

/** One exchange: what the person asked, the agent's words, tools, approvals and status. */
export function Turn({
  turn,
  detail,
  streaming,
  workspaceId,
  canDecide,
}: {
  turn: ChatTurn;
  detail: ConversationDetail;
  streaming: string | undefined;
  workspaceId: string;
  canDecide: boolean;
}) {
  const words = agentText(turn, detail.events, streaming);
  const approvals = detail.approvals.filter((a) => a.turnId === turn.id);
  const tools = detail.events.filter((e) => e.turnId === turn.id && e.type === 'tool.call');
  const status = turnStatusOf(turn, detail);
  const failure =
    turn.error?.message ??
    detail.events.findLast((e) => e.turnId === turn.id && e.type === 'turn.failed')?.data.message;
  return (
    <li className="chat-turn">
      <div className="chat-bubble chat-bubble--user">{turn.userText}</div>
      <div className="chat-bubble chat-bubble--agent" aria-live="polite">
        {words.map((text, index) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: the agent's paragraphs only ever grow
          <p key={index}>{text}</p>
        ))}
        {tools.length > 0 ? (
          <p className="muted chat-turn__tools">
            Used {tools.map((t) => String(t.data.title ?? t.data.tool)).join(', ')}
          </p>
        ) : null}
        {approvals.map((approval) => (
          <ApprovalCard
            key={approval.id}
            workspaceId={workspaceId}
            approval={approval}
            canDecide={canDecide}
          />
        ))}
        {status === 'failed' && failure ? <Alert tone="danger">{String(failure)}</Alert> : null}
        {turnStatusText[status] ? (
          <p className="muted chat-turn__status" role="status">
            {turnStatusText[status]}
          </p>
        ) : null}
      </div>
    </li>
  );
}

/** A conversation's turns in order, with the text still streaming for each. */
export function TurnList({
  detail,
  streaming,
  workspaceId,
  canDecide,
}: {
  detail: ConversationDetail;
  streaming: Record<string, string>;
  workspaceId: string;
  canDecide: boolean;
}) {
  return (
    <ol className="chat-turns">
      {detail.turns.map((turn) => (
        <Turn
          key={turn.id}
          turn={turn}
          detail={detail}
          streaming={streaming[turn.id]}
          workspaceId={workspaceId}
          canDecide={canDecide}
        />
      ))}
    </ol>
  );
}

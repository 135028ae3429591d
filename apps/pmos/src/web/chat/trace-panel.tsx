import { Badge } from '@pmos/ui';
import { useState } from 'react';
import type { ChatEvent } from '../api-types.js';

/** One line of the trace in words; the details (arguments, results) open on demand. */
function describe(event: ChatEvent): {
  label: string;
  text: string;
  tone: 'neutral' | 'primary' | 'success' | 'danger';
  detail?: unknown;
} {
  const d = event.data as Record<string, unknown>;
  switch (event.type) {
    case 'turn.started':
      return { label: 'Asked', text: String(d.text ?? ''), tone: 'neutral' };
    case 'status':
      return { label: 'Status', text: String(d.text ?? d.state ?? ''), tone: 'neutral' };
    case 'step.started':
      return { label: 'Step', text: `Model step ${d.step}`, tone: 'neutral' };
    case 'plan':
      return { label: 'Plan', text: String(d.text ?? ''), tone: 'primary' };
    case 'message':
      return { label: 'Answer', text: String(d.text ?? ''), tone: 'primary' };
    case 'tool.call':
      return {
        label: 'Tool call',
        text: `${d.title ?? d.tool}${d.risk && d.risk !== 'read' ? ` (${d.risk})` : ''}`,
        tone: 'neutral',
        detail: d.arguments,
      };
    case 'tool.result':
      return {
        label: 'Result',
        text: `${d.tool} · ${d.durationMs ?? 0} ms`,
        tone: 'success',
        detail: d.result,
      };
    case 'tool.error':
      return { label: 'Tool error', text: `${d.tool}: ${d.message}`, tone: 'danger' };
    case 'tool.denied':
      return { label: 'Not run', text: `${d.tool} was not approved`, tone: 'danger' };
    case 'approval.requested':
      return {
        label: 'Approval',
        text: `Asked to approve ${d.title ?? d.tool}`,
        tone: 'primary',
        detail: d.arguments,
      };
    case 'approval.decided':
      return {
        label: 'Decision',
        text: String(d.decision ?? ''),
        tone: d.decision === 'approved' ? 'success' : 'danger',
      };
    case 'usage':
      return {
        label: 'Tokens',
        text: `${d.inputTokens} in · ${d.outputTokens} out · ${d.latencyMs} ms · ${d.model}`,
        tone: 'neutral',
      };
    case 'summary':
      return {
        label: 'Summary',
        text: `${d.toolCalls} tool call${d.toolCalls === 1 ? '' : 's'} in ${d.steps} step${d.steps === 1 ? '' : 's'}, ${Number(d.inputTokens) + Number(d.outputTokens)} tokens, ${d.latencyMs} ms`,
        tone: 'success',
      };
    case 'turn.finished':
      return { label: 'Done', text: 'The turn finished.', tone: 'success' };
    case 'turn.failed':
      return { label: 'Failed', text: String(d.message ?? ''), tone: 'danger' };
    default:
      return { label: event.type, text: '', tone: 'neutral', detail: d };
  }
}

function TraceLine({ event }: { event: ChatEvent }) {
  const [open, setOpen] = useState(false);
  const line = describe(event);
  return (
    <li className="trace-line" data-type={event.type}>
      <div className="trace-line__head">
        <Badge tone={line.tone}>{line.label}</Badge>
        <span className="trace-line__text">{line.text}</span>
        {line.detail !== undefined ? (
          <button
            type="button"
            className="link-button"
            aria-expanded={open}
            onClick={() => setOpen(!open)}
          >
            {open ? 'Hide' : 'Details'}
          </button>
        ) : null}
      </div>
      {open ? (
        <pre className="trace-line__detail">{JSON.stringify(line.detail, null, 2)}</pre>
      ) : null}
    </li>
  );
}

/** Every step the agent took, in order, as it happens: the same for every model. */
export function TracePanel({ events, live }: { events: ChatEvent[]; live: boolean }) {
  const shown = events.filter((e) => e.type !== 'step.started');
  return (
    <section className="trace-panel" aria-label="Trace">
      <h2 className="section-title">Trace {live ? <span className="muted">· live</span> : null}</h2>
      {shown.length === 0 ? (
        <p className="muted">
          Each plan, tool call, result, approval and token count shows here as it happens.
        </p>
      ) : (
        <ol className="trace-list" aria-live="polite">
          {shown.map((event) => (
            <TraceLine key={event.seq} event={event} />
          ))}
        </ol>
      )}
    </section>
  );
}

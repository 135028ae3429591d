import {
  Alert,
  Badge,
  type BadgeTone,
  Button,
  Dialog,
  DialogActions,
  EmptyState,
  FormField,
  Input,
  Select,
} from '@pmos/ui';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type ReactNode, useId, useRef, useState } from 'react';
import { toolPolicy } from '../../api/tool-mark-schemas.js';
import type {
  Connection,
  RemoteTool,
  RemoteToolList,
  SetToolMarksBody,
  ToolMark,
  ToolMarkList,
  ToolPolicy,
  ToolRisk,
} from '../api-types.js';
import { LiveNotice, type Notice } from '../common/live-notice.js';
import { api, errorMessage } from '../lib/api.js';
import { formatExactDateTime } from '../lib/format.js';

/**
 * The cached tools of a connection. Not under `connectionsKey`: refreshing the connection list
 * must not ask the remote server for its tools again.
 */
function connectionToolsKey(workspaceId: string, connectionId: string) {
  return ['workspaces', workspaceId, 'connection-tools', connectionId];
}

/** Above this many tools the list gets a search box. */
const searchFrom = 8;

const serverWords: Record<ToolRisk, string> = {
  read: 'Reads only',
  write: 'Changes data',
  destructive: 'May delete or overwrite',
};

const policyBadges: Record<ToolPolicy, { tone: BadgeTone; label: string; sentence: string }> = {
  runs: { tone: 'success', label: 'Runs', sentence: 'now runs without asking' },
  asks: { tone: 'primary', label: 'Asks first', sentence: 'now asks first in chat' },
  refused: { tone: 'neutral', label: 'Refused', sentence: 'is now refused' },
};

const markChoices: { value: ToolMark | ''; label: string }[] = [
  { value: '', label: 'Default (server’s word)' },
  { value: 'safe', label: 'Safe — runs without asking' },
  { value: 'gated', label: 'Gated — asks first in chat' },
  { value: 'blocked', label: 'Blocked — never runs' },
];

const markLabel = (mark: ToolMark | null) =>
  markChoices.find((choice) => choice.value === (mark ?? ''))?.label ?? '';

/**
 * The tools after a change of marks: `marks` is every mark of the connection, as the server
 * answers a PATCH. Listed tools keep the server's order; tools it no longer lists stay only
 * while they are marked, as the tool list itself would show them.
 */
function withMarks(tools: RemoteTool[], marks: ToolMarkList['data']): RemoteTool[] {
  const byTool = new Map(marks.map((marked) => [marked.tool, marked]));
  const remark = (tool: RemoteTool): RemoteTool => {
    const marked = byTool.get(tool.name);
    const mark = marked?.mark ?? null;
    return {
      ...tool,
      mark,
      markedAt: marked?.markedAt ?? null,
      markedBy: marked?.markedBy ?? null,
      policy: toolPolicy(mark, tool.serverRisk),
    };
  };
  const listed = tools.filter((tool) => tool.listed);
  const listedNames = new Set(listed.map((tool) => tool.name));
  const known = new Map(tools.map((tool) => [tool.name, tool]));
  const unlisted = marks
    .filter((marked) => !listedNames.has(marked.tool))
    .map(
      (marked): RemoteTool =>
        known.get(marked.tool) ?? {
          name: marked.tool,
          title: null,
          description: null,
          serverRisk: null,
          listed: false,
          mark: null,
          markedAt: null,
          markedBy: null,
          policy: 'refused',
        },
    );
  return [...listed, ...unlisted].map(remark);
}

const matches = (tool: RemoteTool, search: string) =>
  [tool.name, tool.title, tool.description].some((text) =>
    text?.toLowerCase().includes(search.toLowerCase()),
  );

/**
 * "Tools of <connection>": what each tool of a server of tools (an MCP server …) may do, and
 * for admins a mark per tool that saves at once. Mounted only while open.
 */
export function ToolMarksDialog({
  workspaceId,
  connection,
  canManage,
  onClose,
}: {
  workspaceId: string;
  connection: Pick<Connection, 'id' | 'displayName'>;
  canManage: boolean;
  onClose: () => void;
}) {
  const name = connection.displayName;
  const [notice, setNotice] = useState<Notice>(null);
  const tools = useQuery({
    queryKey: connectionToolsKey(workspaceId, connection.id),
    queryFn: ({ signal }) =>
      api<RemoteToolList>(
        'GET',
        `/api/workspaces/${workspaceId}/connections/${connection.id}/tools`,
        undefined,
        { signal },
      ),
    // Each ask reaches the remote server live and can take seconds: no silent retries (the
    // person has Try again), and no new ask because the window got focus again.
    retry: false,
    refetchOnWindowFocus: false,
  });

  let body: ReactNode;
  if (tools.data) {
    body =
      tools.data.data.length === 0 ? (
        <EmptyState
          title="This server offers no tools."
          description={`When ${name} offers tools, they show here.`}
        />
      ) : (
        <ToolList
          workspaceId={workspaceId}
          connectionId={connection.id}
          tools={tools.data.data}
          canManage={canManage}
          onNotice={setNotice}
        />
      );
  } else if (tools.isError && !tools.isFetching) {
    body = (
      <div className="stack">
        <Alert tone="danger">{errorMessage(tools.error)}</Alert>
        <div>
          <Button variant="secondary" onClick={() => tools.refetch()}>
            Try again
          </Button>
        </div>
      </div>
    );
  } else {
    body = (
      <p className="muted tool-marks-loading" role="status">
        <span className="pmos-spinner" aria-hidden="true" />
        Asking {name} for its tools…
      </p>
    );
  }

  return (
    <Dialog
      open
      onClose={onClose}
      className="tool-marks-dialog"
      data-testid="tool-marks-dialog"
      title={`Tools of ${name}`}
      description="Tools the server marks read-only run without asking. Any other tool is refused until an admin marks it safe or gated."
    >
      {body}
      {tools.data && tools.isError ? (
        // A new ask when the dialog opened again failed: the list shown is the last one known.
        <Alert tone="danger">
          {errorMessage(tools.error)} The list shows the tools as they were last seen.
        </Alert>
      ) : null}
      {canManage ? <LiveNotice notice={notice} /> : null}
      {!canManage && tools.data ? (
        <p className="muted small">Only a workspace admin can change the marks.</p>
      ) : null}
      <DialogActions>
        <Button variant="secondary" onClick={onClose}>
          Close
        </Button>
      </DialogActions>
    </Dialog>
  );
}

function ToolList({
  workspaceId,
  connectionId,
  tools,
  canManage,
  onNotice,
}: {
  workspaceId: string;
  connectionId: string;
  tools: RemoteTool[];
  canManage: boolean;
  onNotice: (notice: Notice) => void;
}) {
  const [search, setSearch] = useState('');
  const list = useRef<HTMLUListElement>(null);
  const needle = search.trim();
  const shown = needle ? tools.filter((tool) => matches(tool, needle)) : tools;
  return (
    <div className="stack">
      {tools.length > searchFrom ? (
        <search className="stack">
          <FormField label="Search tools">
            <Input
              type="search"
              value={search}
              placeholder="Name or description contains…"
              onChange={(event) => setSearch(event.target.value)}
            />
          </FormField>
          {needle ? (
            <p className="muted small" role="status">
              {shown.length === 0
                ? `No tool matches “${needle}”.`
                : `${shown.length} of ${tools.length} tools`}
            </p>
          ) : null}
        </search>
      ) : null}
      {shown.length > 0 ? (
        // Focus lands on the list when the row that had it goes (its mark removed).
        <ul ref={list} className="plain-list tool-list" aria-label="Tools" tabIndex={-1}>
          {shown.map((tool) => (
            <ToolRow
              key={tool.name}
              workspaceId={workspaceId}
              connectionId={connectionId}
              tool={tool}
              canManage={canManage}
              onNotice={onNotice}
              onGone={() => list.current?.focus()}
            />
          ))}
        </ul>
      ) : null}
    </div>
  );
}

function ToolRow({
  workspaceId,
  connectionId,
  tool,
  canManage,
  onNotice,
  onGone,
}: {
  workspaceId: string;
  connectionId: string;
  tool: RemoteTool;
  canManage: boolean;
  onNotice: (notice: Notice) => void;
  onGone: () => void;
}) {
  const client = useQueryClient();
  const descriptionId = useId();
  const label = tool.title ?? tool.name;
  const save = useMutation({
    mutationFn: (mark: ToolMark | null) =>
      api<ToolMarkList>(
        'PATCH',
        `/api/workspaces/${workspaceId}/connections/${connectionId}/tools`,
        {
          marks: [{ tool: tool.name, mark }],
        } satisfies SetToolMarksBody,
      ),
    // One change at a time per connection: each answer holds every mark, so the last one wins.
    scope: { id: `tool-marks:${connectionId}` },
    onSuccess: (marks, mark) => {
      const next = client.setQueryData<RemoteToolList>(
        connectionToolsKey(workspaceId, connectionId),
        (current) =>
          current ? { ...current, data: withMarks(current.data, marks.data) } : current,
      );
      const after = next?.data.find((t) => t.name === tool.name);
      if (!after) {
        onNotice({ tone: 'success', text: `Saved. Removed the mark of ${label}.` });
        onGone();
        return;
      }
      onNotice({
        tone: 'success',
        text: `Saved. ${label} ${policyBadges[after.policy].sentence}${mark === null ? ', as the server says' : ''}.`,
      });
    },
  });
  // While a change is on its way the select shows it; on failure it falls back to the saved mark.
  const shownMark = save.isPending ? (save.variables ?? null) : tool.mark;
  const badge = policyBadges[tool.policy];
  const change = (mark: ToolMark | null) => {
    onNotice(null);
    save.mutate(mark);
  };

  return (
    <li
      className="plain-list-row tool-row"
      data-testid="tool-row"
      data-tool={tool.name}
      data-policy={tool.policy}
      aria-busy={save.isPending || undefined}
    >
      <div className="tool-row-text">
        <span className="person-name">{label}</span>
        {tool.title && tool.title !== tool.name ? (
          <code className="token-hint small">{tool.name}</code>
        ) : null}
        {tool.description ? (
          <p
            id={descriptionId}
            className="tool-line muted small tool-description"
            title={tool.description}
          >
            {tool.description}
          </p>
        ) : null}
        <p className="tool-line small">
          <span className="muted">Server: </span>
          {tool.serverRisk ? serverWords[tool.serverRisk] : 'No longer offered'}
        </p>
        {tool.mark && tool.markedAt ? (
          <p className="tool-line muted small">
            Marked{tool.markedBy ? ` by ${tool.markedBy}` : ''} on{' '}
            {formatExactDateTime(tool.markedAt)}
          </p>
        ) : null}
      </div>
      <div className="tool-row-mark">
        <Badge tone={badge.tone} className="tool-policy">
          {badge.label}
        </Badge>
        {canManage && tool.listed ? (
          <Select
            className="tool-mark-select"
            aria-label={`Mark for ${tool.name}`}
            aria-describedby={tool.description ? descriptionId : undefined}
            value={shownMark ?? ''}
            onChange={(event) => change((event.target.value || null) as ToolMark | null)}
          >
            {markChoices.map((choice) => (
              <option key={choice.value} value={choice.value}>
                {choice.label}
              </option>
            ))}
          </Select>
        ) : (
          <span className="small">Mark: {markLabel(tool.mark)}</span>
        )}
        {canManage && !tool.listed ? (
          <Button
            variant="secondary"
            size="sm"
            aria-label={`Remove mark of ${tool.name}`}
            loading={save.isPending}
            onClick={() => change(null)}
          >
            Remove mark
          </Button>
        ) : null}
        {save.isPending && tool.listed ? (
          <span className="muted small" role="status">
            Saving…
          </span>
        ) : null}
        {save.isError ? (
          <p className="tool-row-error small" role="alert">
            {errorMessage(save.error)}
          </p>
        ) : null}
      </div>
    </li>
  );
}

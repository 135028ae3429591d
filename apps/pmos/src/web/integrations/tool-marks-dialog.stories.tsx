import '../app.css';
import type { Meta, StoryObj } from '@storybook/react-vite';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { useState } from 'react';
import { expect, userEvent, within } from 'storybook/test';
import type { RemoteTool } from '../api-types.js';
import { connectionId, fakeMarks, markedAt, tool, ws } from './tool-marks.fixtures.js';
import { ToolMarksDialog } from './tool-marks-dialog.js';

// The "Tools of <connection>" dialog (apps/pmos), run by packages/ui's Storybook and its vitest
// project. Each story answers the dialog's two calls with a stub of `fetch`, put back after it.

const tools: RemoteTool[] = [
  tool('search_issues', 'read', {
    title: 'Search issues',
    description: 'Finds issues in every repository the token reaches, by text, label or author.',
  }),
  tool('create_issue', 'write', {
    title: 'Create an issue',
    description:
      'Opens an issue in a repository with a title, a body in Markdown, labels and assignees. The body may mention people, who are then notified by email.',
    mark: 'gated',
    markedAt,
    markedBy: 'ada@example.com',
    policy: 'asks',
  }),
  tool('add_comment', 'write', { description: 'Comments on an issue or a pull request.' }),
  tool('delete_repo', 'destructive', {
    title: 'Delete a repository',
    mark: 'blocked',
    markedAt,
    markedBy: 'ada@example.com',
  }),
  tool('old_export', null, {
    listed: false,
    mark: 'safe',
    markedAt,
    markedBy: 'ada@example.com',
    policy: 'runs',
  }),
];

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

/** Replaces `fetch` for one story; what `answer` returns is the answer to the tools' GET. */
function stubTools(answer: () => Response | Promise<Response>) {
  return () => {
    const original = globalThis.fetch;
    const marks = fakeMarks(tools);
    globalThis.fetch = async (_input, init) => {
      if (init?.method !== 'PATCH') return answer();
      const answered = marks.patch(JSON.parse(String(init.body)));
      // A moment on the way, so the row's pending state shows.
      await new Promise((resolve) => setTimeout(resolve, 400));
      return json(answered);
    };
    return () => {
      globalThis.fetch = original;
    };
  };
}

const listed = (data: RemoteTool[]) => () => json({ connectionId, data });

function Shown({ canManage }: { canManage: boolean }) {
  const [client] = useState(
    () => new QueryClient({ defaultOptions: { queries: { retry: false } } }),
  );
  const [open, setOpen] = useState(true);
  return (
    <QueryClientProvider client={client}>
      {open ? (
        <ToolMarksDialog
          workspaceId={ws}
          connection={{ id: connectionId, displayName: 'GitHub MCP' }}
          canManage={canManage}
          onClose={() => setOpen(false)}
        />
      ) : (
        <button type="button" onClick={() => setOpen(true)}>
          Open again
        </button>
      )}
    </QueryClientProvider>
  );
}

const meta = {
  title: 'Integrations/Tool marks dialog',
  render: () => <Shown canManage />,
} satisfies Meta;

export default meta;
type Story = StoryObj<typeof meta>;

export const Admin: Story = {
  name: 'Admin: marks save at once',
  beforeEach: stubTools(listed(tools)),
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    const select = await canvas.findByRole('combobox', { name: 'Mark for add_comment' });
    const row = () => canvasElement.querySelector('[data-tool="add_comment"]');
    await expect(row()).toHaveAttribute('data-policy', 'refused');
    await userEvent.selectOptions(select, 'safe');
    await expect(
      await canvas.findByText('Saved. add_comment now runs without asking.'),
    ).toBeVisible();
    await expect(row()).toHaveAttribute('data-policy', 'runs');
    await expect(canvas.getByRole('button', { name: 'Remove mark of old_export' })).toBeVisible();
  },
};

export const Viewer: Story = {
  name: 'Viewer or member: read only',
  render: () => <Shown canManage={false} />,
  beforeEach: stubTools(listed(tools)),
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await expect(
      await canvas.findByText('Only a workspace admin can change the marks.'),
    ).toBeVisible();
    await expect(canvas.queryAllByRole('combobox')).toHaveLength(0);
    // The browser puts focus in the modal.
    await expect(canvas.getByTestId('tool-marks-dialog')).toContainElement(
      document.activeElement as HTMLElement,
    );
  },
};

export const ManyTools: Story = {
  name: 'Many tools: a search box',
  beforeEach: stubTools(
    listed([
      ...tools,
      ...Array.from({ length: 8 }, (_, i) =>
        tool(`list_thing_${i + 1}`, 'read', { description: `Lists things of kind ${i + 1}.` }),
      ),
    ]),
  ),
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await userEvent.type(await canvas.findByRole('searchbox', { name: 'Search tools' }), 'issue');
    await expect(canvasElement.querySelectorAll('[data-testid="tool-row"]')).toHaveLength(3);
  },
};

export const Failed: Story = {
  name: 'The server cannot be reached',
  beforeEach: stubTools(() =>
    json(
      {
        error: {
          code: 'connection_failed',
          message: 'The MCP server cannot be reached: connect ECONNREFUSED 10.0.0.7:8080.',
        },
      },
      502,
    ),
  ),
  play: async ({ canvasElement }) => {
    const canvas = within(canvasElement);
    await expect(await canvas.findByRole('alert')).toHaveTextContent('ECONNREFUSED');
    await expect(canvas.getByRole('button', { name: 'Try again' })).toBeVisible();
  },
};

export const Empty: Story = {
  name: 'The server offers no tools',
  beforeEach: stubTools(listed([])),
  play: async ({ canvasElement }) => {
    await expect(
      await within(canvasElement).findByText('This server offers no tools.'),
    ).toBeVisible();
  },
};

export const Loading: Story = {
  name: 'Asking the server',
  // Never answers: the loading line stays.
  beforeEach: stubTools(() => new Promise<Response>(() => {})),
};

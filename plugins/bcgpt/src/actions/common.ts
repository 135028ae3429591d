import { BcgptRequestError } from '../client/errors.js';
import { bcgptClientFor } from '../client/for-connection.js';
import type { ToolResult } from '../client/normalize.js';
import { type BcgptConnection, bcgptAuth } from '../connection.js';
import { idOf, type Row } from '../payload.js';

export { bcgptAuth };

/** Calls one BCGPT tool with the step's connection; undefined arguments are left out. */
export function callTool(
  ctx: { auth: BcgptConnection; http: typeof fetch; signal: AbortSignal },
  tool: string,
  args: Record<string, unknown> = {},
): Promise<ToolResult> {
  const defined = Object.fromEntries(
    Object.entries(args).filter(([, value]) => value !== undefined && value !== ''),
  );
  return bcgptClientFor(ctx).callTool(tool, defined);
}

export interface TodoSummary {
  id: number | string | null;
  content: string;
  description: string | null;
  completed: boolean;
  due_on: string | null;
  starts_on: string | null;
  assignees: { id: number | string | null; name: string | null }[];
  app_url: string | null;
}

const text = (value: unknown): string | null => (typeof value === 'string' ? value : null);

/** A to-do as BCGPT returns it (Basecamp's full object or its compact form). */
export function toTodo(row: Row): TodoSummary {
  const people = Array.isArray(row.assignees) ? (row.assignees as Row[]) : [];
  const ids = Array.isArray(row.assignee_ids) ? (row.assignee_ids as (number | string)[]) : [];
  return {
    id: idOf(row),
    content: text(row.content) ?? text(row.title) ?? '',
    description: text(row.description),
    completed: row.completed === true || row.status === 'completed',
    due_on: text(row.due_on),
    starts_on: text(row.starts_on),
    assignees: people.length
      ? people.map((p) => ({ id: idOf(p), name: text(p.name) }))
      : ids.map((id) => ({ id, name: null })),
    app_url: text(row.app_url) ?? text(row.url),
  };
}

export const sampleTodo: TodoSummary = {
  id: 3101,
  content: 'Write the landing page',
  description: '<div>Hero, pricing, FAQ</div>',
  completed: false,
  due_on: '2026-12-01',
  starts_on: null,
  assignees: [{ id: 501, name: 'Ada Lovelace' }],
  app_url: 'https://3.basecamp.com/99/buckets/1001/todos/3101',
};

export interface ProjectSummary {
  id: number | string | null;
  name: string;
  status: string | null;
  description: string | null;
  app_url: string | null;
}

export function toProject(row: Row): ProjectSummary {
  return {
    id: idOf(row),
    name: text(row.name) ?? '',
    status: text(row.status),
    description: text(row.description),
    app_url: text(row.app_url) ?? text(row.url),
  };
}

export const sampleProject: ProjectSummary = {
  id: 1001,
  name: 'Launch',
  status: 'active',
  description: 'Everything for the autumn launch',
  app_url: 'https://3.basecamp.com/99/projects/1001',
};

/** A whole number id from a prop that may arrive as text from a template or chat. */
export function wholeId(value: unknown, what: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) {
    throw new BcgptRequestError(
      'invalid_input',
      `${what} must be a Basecamp id: a whole number like 3101 (got ${JSON.stringify(value)}).`,
    );
  }
  return n;
}

/** Refuses input that cannot be sent, before BCGPT is called. */
export function invalidInput(message: string): BcgptRequestError {
  return new BcgptRequestError('invalid_input', message);
}

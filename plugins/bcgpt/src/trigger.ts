import { defineTrigger, prop, type RunContext } from '@pmos/sdk/server';
import { bcgptAuth, callTool, sampleTodo, type TodoSummary, toTodo } from './actions/common.js';
import { BcgptError } from './client/errors.js';
import type { BcgptConnection } from './connection.js';
import { idOf, listIn, objectIn } from './payload.js';
import { optionalTodolist, project } from './props.js';

export type TodoEventKind = 'new' | 'completed';

export interface TodoEvent {
  event: TodoEventKind;
  project: string;
  todolist_id: number;
  todo: TodoSummary;
}

/** What the trigger remembers between polls (per flow). */
interface TodoCursor {
  /** Every to-do id seen so far (newest last). */
  seen: string[];
  /** Open to-dos at the last poll: id → to-do list id. */
  open: Record<string, number>;
}

/** Basecamp ids are never reused; keeping the newest few thousand bounds the cursor. */
const cursorLimit = 5000;
/** To-dos that left a list since the last poll, looked up one by one (at most this many). */
const lookupLimit = 25;
const cursorKey = 'todo-cursor';
/** Events `test` returns at most (the host keeps 5). */
const testLimit = 5;

const props = {
  project,
  todolist: optionalTodolist,
  event: prop.staticDropdown({
    displayName: 'When',
    description: 'Which change starts the flow.',
    required: true,
    defaultValue: 'new',
    options: {
      options: [
        { label: 'A to-do is added', value: 'new' as const },
        { label: 'A to-do is completed', value: 'completed' as const },
      ],
    },
  }),
};

type PollContext = RunContext<typeof bcgptAuth, typeof props>;

/**
 * Polls the to-do lists of a project through BCGPT. The first poll only records what is
 * there (nothing fires for to-dos that existed before the flow was enabled); later polls
 * fire for to-dos not seen before (new) or done since the last poll (completed). Basecamp
 * lists open to-dos only, so a to-do that left its list is looked up with `get_todo`.
 */
export const todoActivity = defineTrigger({
  id: 'todo_activity',
  displayName: 'New or completed to-do',
  description: 'Starts the flow when a to-do is added to, or completed in, a Basecamp project.',
  strategy: 'polling',
  pollingIntervalMinutes: 5,
  auth: bcgptAuth,
  props,
  sampleOutput: { event: 'new', project: '1001', todolist_id: 2001, todo: sampleTodo },
  async onEnable(ctx) {
    await ctx.store.delete(cursorKey);
    await poll(ctx);
  },
  async run(ctx): Promise<TodoEvent[]> {
    return poll(ctx);
  },
  async test(ctx): Promise<TodoEvent[]> {
    return recentEvents(ctx);
  },
  dedupeKey: (event: TodoEvent) => `${event.event}:${event.todo.id}`,
});

async function currentTodos(ctx: PollContext) {
  const connection = { auth: ctx.auth as BcgptConnection, http: ctx.http, signal: ctx.signal };
  const listIds = ctx.props.todolist
    ? [Number(ctx.props.todolist)]
    : listIn(await callTool(connection, 'list_todolists', { project: ctx.props.project }), [
        'todolists',
      ])
        .map((row) => Number(idOf(row)))
        .filter((id) => Number.isInteger(id));
  const current: { todolistId: number; todo: TodoSummary }[] = [];
  for (const todolistId of listIds) {
    const payload = await callTool(connection, 'list_todos_for_list', {
      project: ctx.props.project,
      todolist_id: todolistId,
    });
    for (const row of listIn(payload, ['todos'])) current.push({ todolistId, todo: toTodo(row) });
  }
  return current;
}

/** One event of the trigger, for the project it watches. */
function eventOf(
  ctx: PollContext,
  event: TodoEventKind,
  todolistId: number,
  todo: TodoSummary,
): TodoEvent {
  return { event, project: ctx.props.project, todolist_id: todolistId, todo };
}

/**
 * The newest to-dos listed now (highest id first) as events, for "Load a real event"; the
 * cursor is neither read nor written. BCGPT's to-do tools list open to-dos only
 * (`list_todos_for_list` has no filter for done ones; `get_todo` needs an id), so for
 * "completed" these are the user's open to-dos standing in as examples of the shape.
 */
async function recentEvents(ctx: PollContext): Promise<TodoEvent[]> {
  const current = await currentTodos(ctx);
  return current
    .sort((a, b) => (Number(b.todo.id) || 0) - (Number(a.todo.id) || 0))
    .slice(0, testLimit)
    .map(({ todolistId, todo }) => eventOf(ctx, ctx.props.event, todolistId, todo));
}

/** A to-do that left its list: done, trashed or moved elsewhere. Null when it is gone. */
async function lookUp(ctx: PollContext, id: string): Promise<TodoSummary | null> {
  try {
    const payload = await callTool(
      { auth: ctx.auth as BcgptConnection, http: ctx.http, signal: ctx.signal },
      'get_todo',
      { project: ctx.props.project, todo_id: Number(id) },
    );
    return toTodo(objectIn(payload, 'todo'));
  } catch (error) {
    if (error instanceof BcgptError && error.code === 'not_found') return null;
    throw error;
  }
}

async function poll(ctx: PollContext): Promise<TodoEvent[]> {
  const current = await currentTodos(ctx);
  const cursor = await ctx.store.get<TodoCursor>(cursorKey);
  const seen = new Set(cursor?.seen ?? []);
  const wasOpen = cursor?.open ?? {};
  const open: Record<string, number> = {};
  const events: TodoEvent[] = [];
  const fire = (event: TodoEventKind, todolistId: number, todo: TodoSummary) => {
    if (cursor && event === ctx.props.event) events.push(eventOf(ctx, event, todolistId, todo));
  };

  for (const { todolistId, todo } of current) {
    const id = String(todo.id);
    if (!seen.has(id)) fire('new', todolistId, todo);
    if (todo.completed && id in wasOpen) fire('completed', todolistId, todo);
    if (!todo.completed) open[id] = todolistId;
    seen.add(id);
  }
  const left = Object.keys(wasOpen).filter(
    (id) => !(id in open) && !current.some((c) => String(c.todo.id) === id),
  );
  for (const id of left.slice(0, lookupLimit)) {
    const todo = await lookUp(ctx, id);
    if (todo?.completed) fire('completed', wasOpen[id] ?? 0, todo);
  }
  // Left over beyond the limit: keep them open, to look up at the next poll.
  for (const id of left.slice(lookupLimit)) open[id] = wasOpen[id] ?? 0;

  await ctx.store.put(cursorKey, {
    seen: [...seen].slice(-cursorLimit),
    open,
  } satisfies TodoCursor);
  return events;
}

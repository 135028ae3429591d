import { type DropdownState, type OptionsContext, prop } from '@pmos/sdk/server';
import type { BcgptClient } from './client/client.js';
import { BcgptError } from './client/errors.js';
import { bcgptClientFor } from './client/for-connection.js';
import type { BcgptConnection } from './connection.js';
import { idOf, labelOf, listIn, objectIn, type Row } from './payload.js';

/** A client for a dropdown, or the dropdown state that explains why there is none. */
function clientFor<V>(ctx: OptionsContext): BcgptClient | DropdownState<V> {
  const connection = ctx.auth as BcgptConnection | undefined;
  if (!connection?.apiKey) {
    return { disabled: true, placeholder: 'Choose a BCGPT connection first', options: [] };
  }
  try {
    return bcgptClientFor({ auth: connection, http: ctx.http, signal: ctx.signal });
  } catch (error) {
    if (error instanceof Error) return { disabled: true, placeholder: error.message, options: [] };
    throw error;
  }
}

/** Loads options with a client; a BCGPT failure shows as a disabled dropdown with its reason. */
async function load<V>(
  ctx: OptionsContext,
  work: (client: BcgptClient) => Promise<DropdownState<V>>,
): Promise<DropdownState<V>> {
  const client = clientFor<V>(ctx);
  if (!('callTool' in client)) return client;
  try {
    return await work(client);
  } catch (error) {
    if (error instanceof BcgptError)
      return { disabled: true, placeholder: error.message, options: [] };
    throw error;
  }
}

const need = <V>(what: string): DropdownState<V> => ({
  disabled: true,
  placeholder: `Choose ${what} first`,
  options: [],
});

const chosen = (ctx: OptionsContext, name: string): string | undefined => {
  const value = ctx.props[name];
  return typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;
};

function options<V>(rows: Row[], value: (row: Row) => V, empty: string): DropdownState<V> {
  const usable = rows.filter((row) => idOf(row) !== null);
  return {
    options: usable.map((row) => ({ label: labelOf(row), value: value(row) })),
    ...(usable.length === 0 ? { placeholder: empty } : {}),
  };
}

/** BCGPT takes a project as a string holding its name or id; the dropdown stores the id. */
const projectOptions = (ctx: OptionsContext) =>
  load<string>(ctx, async (client) =>
    options(
      listIn(await client.callTool('list_projects'), ['projects']),
      (row) => String(idOf(row)),
      'No active project in this Basecamp account.',
    ),
  );

export const project = prop.dropdown<string>({
  displayName: 'Project',
  description: 'The Basecamp project (BCGPT also accepts a project name typed in).',
  required: true,
  refreshers: [],
  options: projectOptions,
});

export const optionalProject = prop.dropdown<string>({
  displayName: 'Project',
  description: 'Only in this project; leave empty for every project.',
  required: false,
  refreshers: [],
  options: projectOptions,
});

const todolistOptions = (ctx: OptionsContext): Promise<DropdownState<number>> => {
  const projectId = chosen(ctx, 'project');
  if (!projectId) return Promise.resolve(need<number>('a project'));
  return load(ctx, async (client) =>
    options(
      listIn(await client.callTool('list_todolists', { project: projectId }), ['todolists']),
      (row) => Number(idOf(row)),
      'This project has no to-do list.',
    ),
  );
};

export const todolist = prop.dropdown<number>({
  displayName: 'To-do list',
  description: 'A to-do list of the chosen project.',
  required: true,
  refreshers: ['project'],
  options: todolistOptions,
});

/** Only there to narrow the to-do dropdown: the tools need the to-do id alone. */
export const todolistForTodo = prop.dropdown<number>({
  displayName: 'To-do list',
  description: 'The list the to-do is on (narrows the to-do dropdown).',
  required: false,
  refreshers: ['project'],
  options: todolistOptions,
});

export const optionalTodolist = prop.dropdown<number>({
  displayName: 'To-do list',
  description: 'Only this to-do list; leave empty for every list of the project.',
  required: false,
  refreshers: ['project'],
  options: todolistOptions,
});

export const targetTodolist = prop.dropdown<number>({
  displayName: 'Move to list',
  description: 'The to-do list of the same project it moves to.',
  required: true,
  refreshers: ['project'],
  options: todolistOptions,
});

export const todo = prop.dropdown<number>({
  displayName: 'To-do',
  description: 'A to-do of the chosen list (or type its id).',
  required: true,
  refreshers: ['project', 'todolist'],
  options: (ctx) => {
    const projectId = chosen(ctx, 'project');
    const listId = chosen(ctx, 'todolist');
    if (!projectId) return Promise.resolve(need<number>('a project'));
    if (!listId) return Promise.resolve(need<number>('a to-do list'));
    return load(ctx, async (client) =>
      options(
        listIn(
          await client.callTool('list_todos_for_list', {
            project: projectId,
            todolist_id: Number(listId),
          }),
          ['todos'],
        ),
        (row) => Number(idOf(row)),
        'This list has no open to-do.',
      ),
    );
  },
});

export const assignees = prop.multiSelect<number>({
  displayName: 'Assignees',
  description: 'People on the chosen project.',
  required: false,
  refreshers: ['project'],
  options: (ctx) => {
    const projectId = chosen(ctx, 'project');
    if (!projectId) return Promise.resolve(need<number>('a project'));
    return load(ctx, async (client) =>
      options(
        listIn(await client.callTool('list_project_people', { project: projectId }), ['people']),
        (row) => Number(idOf(row)),
        'Nobody is on this project yet.',
      ),
    );
  },
});

/** The project's message board, from its dock (`get_project`). */
export const messageBoard = prop.dropdown<number>({
  displayName: 'Message board',
  description: "The chosen project's message board.",
  required: true,
  refreshers: ['project'],
  options: (ctx) => {
    const projectId = chosen(ctx, 'project');
    if (!projectId) return Promise.resolve(need<number>('a project'));
    return load(ctx, async (client) => {
      const payload = objectIn(
        await client.callTool('get_project', { project_id: projectId }),
        'project',
      );
      const dock = listIn(payload, ['dock'])
        .filter((tool) => tool.name === 'message_board' && tool.enabled !== false)
        // Dock entries are named by kind ("message_board"); people know them by title.
        .map((tool) => ({ ...tool, name: tool.title ?? 'Message board' }));
      return options(
        dock,
        (row) => Number(idOf(row)),
        'This project has no message board turned on.',
      );
    });
  },
});

export const recordingId = prop.number({
  displayName: 'Item id',
  description:
    'The id of the to-do, message or other Basecamp item (the number at the end of its Basecamp URL).',
  required: true,
});

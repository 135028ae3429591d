import { type ActionDefinition, InvalidPropsError } from '@pmos/sdk/server';
import { loadOptions, runAction } from '@pmos/sdk/testing';
import { describe, expect, it } from 'vitest';
import pkg from '../../package.json' with { type: 'json' };
import { createFakeBcgpt } from '../testing/fake-bcgpt.js';
import { LINKED_KEY, UNLINKED_KEY, withTestKeys } from '../testing/keys.js';
import { callAnyTool } from './call-tool.js';
import { createComment, createMessage, listComments, listMessages } from './messages.js';
import { listPeople, search } from './people-search.js';
import { findProject, listProjects, listTodolists } from './projects.js';
import {
  completeTodo,
  createTodo,
  moveTodo,
  trashTodo,
  uncompleteTodo,
  updateTodo,
} from './todo-changes.js';
import { getTodo, listAssignedToMe, listTodos, listTodosDue } from './todos.js';

const hosts = pkg.pmos.permissions.hosts;
const auth = { apiKey: LINKED_KEY, baseUrl: undefined };

function setup() {
  const fake = withTestKeys(createFakeBcgpt());
  const run = <O>(
    // biome-ignore lint/suspicious/noExplicitAny: any action of this plugin
    action: ActionDefinition<any, any, O>,
    props: Record<string, unknown>,
  ) => runAction(action, { auth, props, http: fake.http, hosts });
  /** The tool calls the fake received, without the key. */
  const sent = () => fake.toolCalls.map((c) => [c.name, c.arguments]);
  return { fake, run, sent };
}

describe('project actions', () => {
  it('lists projects', async () => {
    const { run, sent } = setup();
    const { output } = await run(listProjects, {});
    expect(output).toEqual({
      count: 2,
      projects: [
        {
          id: 1001,
          name: 'Launch',
          status: 'active',
          description: null,
          app_url: 'https://3.basecamp.com/99/projects/1001',
        },
        {
          id: 1002,
          name: 'Hiring',
          status: 'active',
          description: null,
          app_url: 'https://3.basecamp.com/99/projects/1002',
        },
      ],
    });
    expect(sent()).toEqual([['list_projects', { archived: false }]]);
  });

  it('finds a project by name, and says so when none matches', async () => {
    const { run, sent } = setup();
    expect((await run(findProject, { name: ' hiring ' })).output).toMatchObject({ id: 1002 });
    expect(sent()).toEqual([['find_project', { name: 'hiring' }]]);
    await expect(run(findProject, { name: 'Nope' })).rejects.toMatchObject({
      code: 'not_found',
      bcgptCode: 'NO_MATCH',
    });
  });

  it('lists to-do lists', async () => {
    const { run, sent } = setup();
    const { output } = await run(listTodolists, { project: '1001' });
    expect(output).toEqual({
      count: 2,
      todolists: [
        { id: 2001, name: 'Website', completed_ratio: '0/2', app_url: null },
        { id: 2002, name: 'Press', completed_ratio: '0/0', app_url: null },
      ],
    });
    expect(sent()).toEqual([['list_todolists', { project: '1001' }]]);
  });
});

describe('to-do reads', () => {
  it('lists the to-dos of a list', async () => {
    const { run, sent } = setup();
    const { output } = await run(listTodos, { project: '1001', todolist: 2001 });
    expect(output.count).toBe(2);
    expect(output.todos[1]).toEqual({
      id: 3102,
      content: 'Pick a domain',
      description: '',
      completed: false,
      due_on: null,
      starts_on: null,
      assignees: [{ id: 501, name: 'Ada Lovelace' }],
      app_url: 'https://3.basecamp.com/99/buckets/1001/todos/3102',
    });
    expect(sent()).toEqual([['list_todos_for_list', { project: '1001', todolist_id: 2001 }]]);
  });

  it('lists to-dos due soon and assigned to me', async () => {
    const { run, sent } = setup();
    const due = await run(listTodosDue, { days: 14 });
    expect(due.output.todos.map((t) => t.id)).toEqual([3101]);
    const mine = await run(listAssignedToMe, { project: '1001' });
    expect(mine.output.todos.map((t) => t.id)).toEqual([3102]);
    expect(sent()).toEqual([
      ['list_todos_due', { days: 14, include_overdue: true }],
      ['list_assigned_to_me', { project: '1001' }],
    ]);
  });

  it('gets one to-do, and reads BCGPT compact to-dos too', async () => {
    const { run, sent } = setup();
    const { output } = await run(getTodo, { project: '1001', todo: 3101 });
    expect(output).toMatchObject({
      id: 3101,
      content: 'Write the landing page',
      due_on: '2026-12-01',
    });
    expect(sent()).toEqual([['get_todo', { project: '1001', todo_id: 3101 }]]);
  });

  it('refuses a to-do id that is not a Basecamp id before calling BCGPT', async () => {
    const { run, sent } = setup();
    await expect(run(getTodo, { project: '1001', todo: -4 })).rejects.toMatchObject({
      code: 'invalid_input',
      message: 'The to-do must be a Basecamp id: a whole number like 3101 (got -4).',
    });
    expect(sent()).toEqual([]);
  });
});

describe('to-do changes', () => {
  it('creates a to-do with assignees and dates', async () => {
    const { run, sent } = setup();
    const { output, logs } = await run(createTodo, {
      project: '1001',
      todolist: 2002,
      content: ' Call the press ',
      description: '<b>before Friday</b>',
      due_on: '2026-12-04',
      assignees: [502],
      notify: true,
    });
    expect(output).toMatchObject({
      content: 'Call the press',
      due_on: '2026-12-04',
      assignees: [{ id: 502, name: 'Charles Babbage' }],
    });
    expect(logs).toEqual([
      {
        level: 'info',
        message: 'Created a Basecamp to-do',
        data: { project: '1001', todo: expect.any(Number) },
      },
    ]);
    expect(sent()).toEqual([
      [
        'create_todo',
        {
          project: '1001',
          todolist: '2002',
          task: 'Call the press',
          description: '<b>before Friday</b>',
          due_on: '2026-12-04',
          assignee_ids: [502],
          notify: true,
        },
      ],
    ]);
  });

  it('refuses a create without its required inputs, naming them', async () => {
    const { run } = setup();
    await expect(run(createTodo, { project: '1001' })).rejects.toBeInstanceOf(InvalidPropsError);
  });

  it('updates only the fields given', async () => {
    const { run, sent } = setup();
    const { output } = await run(updateTodo, {
      project: '1001',
      todo: 3101,
      due_on: '2026-12-24T00:00:00Z',
    });
    expect(output).toMatchObject({
      id: 3101,
      content: 'Write the landing page',
      due_on: '2026-12-24',
    });
    expect(sent()).toEqual([
      ['update_todo_details', { project: '1001', todo_id: 3101, due_on: '2026-12-24' }],
    ]);
  });

  it('completes, reopens, moves and trashes a to-do', async () => {
    const { fake, run, sent } = setup();
    expect((await run(completeTodo, { project: '1001', todo: 3101 })).output).toEqual({
      todo_id: 3101,
      message: 'Todo completed',
      completed: true,
    });
    expect(fake.todos.find((t) => t.id === 3101)?.completed).toBe(true);
    expect((await run(uncompleteTodo, { project: '1001', todo: '3101' })).output).toMatchObject({
      completed: false,
    });
    expect(
      (await run(moveTodo, { project: '1001', todo: 3101, target_todolist: 2002 })).output,
    ).toEqual({ todo_id: 3101, target_todolist_id: 2002 });
    expect((await run(trashTodo, { project: '1001', todo: 3101 })).output).toEqual({
      todo_id: 3101,
      trashed: true,
    });
    expect(sent()).toEqual([
      ['complete_todo', { project: '1001', todo_id: 3101 }],
      ['uncomplete_todo', { project: '1001', todo_id: 3101 }],
      ['move_todo', { project: '1001', todo_id: 3101, target_todolist_id: 2002 }],
      ['trash_todo', { project: '1001', todo_id: 3101 }],
    ]);
  });

  it("surfaces a tool's own error code as a typed error", async () => {
    const { fake, run } = setup();
    fake.failNext('complete_todo', {
      code: 'COMPLETE_TODO_ERROR',
      message: 'Basecamp returned 403',
      category: 'unknown',
      retryable: false,
    });
    await expect(run(completeTodo, { project: '1001', todo: 3101 })).rejects.toMatchObject({
      name: 'BcgptServiceError',
      code: 'tool_failed',
      bcgptCode: 'COMPLETE_TODO_ERROR',
      message: 'BCGPT could not run "complete_todo". BCGPT says: "Basecamp returned 403".',
    });
  });

  it('says Basecamp must be linked when the key has no Basecamp login', async () => {
    const fake = withTestKeys(createFakeBcgpt());
    const run = runAction(completeTodo, {
      auth: { apiKey: UNLINKED_KEY, baseUrl: undefined },
      props: { project: '1001', todo: 3101 },
      http: fake.http,
      hosts,
    });
    await expect(run).rejects.toMatchObject({
      code: 'basecamp_not_linked',
      connectUrl: 'https://bcgpt.wickedlab.io/connect',
      message:
        'BCGPT has no working Basecamp login for this API key: link Basecamp again at https://bcgpt.wickedlab.io/connect. BCGPT says: "Not authenticated with Basecamp".',
    });
  });
});

describe('messages, comments, people and search', () => {
  it('lists and posts messages', async () => {
    const { run, sent } = setup();
    const list = await run(listMessages, { project: '1001' });
    expect(list.output).toMatchObject({ count: 1, messages: [{ id: 4001, subject: 'Kick-off' }] });
    const posted = await run(createMessage, {
      project: '1001',
      board: 3001,
      subject: 'Launch date',
      content: '<p>It is the 4th.</p>',
    });
    expect(posted.output).toMatchObject({ subject: 'Launch date', status: 'active' });
    expect(sent()).toEqual([
      ['list_messages', { project: '1001' }],
      [
        'create_message',
        {
          project: '1001',
          board_id: 3001,
          subject: 'Launch date',
          content: '<p>It is the 4th.</p>',
          status: 'active',
        },
      ],
    ]);
  });

  it('adds and lists comments', async () => {
    const { run, sent } = setup();
    const added = await run(createComment, {
      project: '1001',
      recording_id: 4001,
      content: 'Agreed.',
    });
    expect(added.output).toMatchObject({ content: 'Agreed.' });
    const list = await run(listComments, { project: '1001', recording_id: 4001 });
    expect(list.output).toMatchObject({ count: 1, comments: [{ content: 'Agreed.' }] });
    expect(sent()).toEqual([
      ['create_comment', { project: '1001', recording_id: 4001, content: 'Agreed.' }],
      ['list_comments', { project: '1001', recording_id: 4001 }],
    ]);
  });

  it('lists people and searches', async () => {
    const { run, sent } = setup();
    const people = await run(listPeople, { project: 'Launch' });
    expect(people.output.people[0]).toEqual({
      id: 501,
      name: 'Ada Lovelace',
      email_address: 'ada@example.com',
      title: null,
    });
    const found = await run(search, { query: 'domain' });
    expect(found.output).toEqual({
      count: 1,
      results: [
        {
          id: 3102,
          type: 'Todo',
          title: 'Pick a domain',
          app_url: 'https://3.basecamp.com/99/buckets/1001/todos/3102',
        },
      ],
    });
    expect(sent()).toEqual([
      ['list_project_people', { project: 'Launch' }],
      ['search_basecamp', { query: 'domain' }],
    ]);
  });
});

describe('call any BCGPT tool', () => {
  it('passes the arguments as given and reports the risk of the call', async () => {
    const { run, sent } = setup();
    const { output } = await run(callAnyTool, {
      tool: 'list_todolists',
      arguments: { project: 'Launch' },
    });
    expect(output).toMatchObject({ tool: 'list_todolists', risk: 'read', result: { count: 2 } });
    expect(sent()).toEqual([['list_todolists', { project: 'Launch' }]]);
  });

  it('tells the approval gate the risk of each call before it runs', () => {
    const riskOf = callAnyTool.riskOf;
    expect(riskOf?.({ tool: 'list_projects', arguments: {} })).toBe('read');
    expect(riskOf?.({ tool: 'basecamp_raw', arguments: { method: 'GET', path: '/x' } })).toBe(
      'read',
    );
    expect(riskOf?.({ tool: 'basecamp_raw', arguments: { method: 'DELETE' } })).toBe('destructive');
    expect(riskOf?.({ tool: 'create_todo', arguments: {} })).toBe('write');
    expect(riskOf?.({ tool: 'something_new', arguments: {} })).toBe('destructive');
  });

  it('refuses a bad tool name or arguments that are not an object', async () => {
    const { run, sent } = setup();
    await expect(run(callAnyTool, { tool: '../mcp', arguments: {} })).rejects.toThrow(
      /lower case with underscores/,
    );
    await expect(run(callAnyTool, { tool: 'get_todo', arguments: [1] })).rejects.toThrow(
      /JSON object/,
    );
    expect(sent()).toEqual([]);
  });

  it('offers the tools of the server, with their risk, in its dropdown', async () => {
    const fake = withTestKeys(createFakeBcgpt());
    const result = await loadOptions(callAnyTool, 'tool', { auth, http: fake.http, hosts });
    expect(result).toMatchObject({ kind: 'options' });
    const options = result.kind === 'options' ? result.state.options : [];
    expect(options).toContainEqual({ label: 'trash_todo (destructive)', value: 'trash_todo' });
    expect(options).toContainEqual({ label: 'list_projects (read)', value: 'list_projects' });
  });
});

describe('dropdowns: projects → to-do lists → to-dos', () => {
  const fakeFor = () => withTestKeys(createFakeBcgpt());

  it('loads projects, then the lists of the chosen project, then its to-dos', async () => {
    const fake = fakeFor();
    const options = { auth, http: fake.http, hosts };
    expect(await loadOptions(createTodo, 'project', options)).toMatchObject({
      state: {
        options: [
          { label: 'Launch', value: '1001' },
          { label: 'Hiring', value: '1002' },
        ],
      },
    });
    expect(
      await loadOptions(createTodo, 'todolist', { ...options, props: { project: '1001' } }),
    ).toMatchObject({
      state: {
        options: [
          { label: 'Website', value: 2001 },
          { label: 'Press', value: 2002 },
        ],
      },
    });
    expect(
      await loadOptions(getTodo, 'todo', {
        ...options,
        props: { project: '1001', todolist: 2001 },
      }),
    ).toMatchObject({
      state: {
        options: [
          { label: 'Write the landing page', value: 3101 },
          { label: 'Pick a domain', value: 3102 },
        ],
      },
    });
    expect(
      await loadOptions(createTodo, 'assignees', { ...options, props: { project: '1001' } }),
    ).toMatchObject({
      state: { options: [{ label: 'Ada Lovelace', value: 501 }, { value: 502 }] },
    });
    expect(
      await loadOptions(createMessage, 'board', { ...options, props: { project: '1001' } }),
    ).toMatchObject({ state: { options: [{ label: 'Message Board', value: 3001 }] } });
  });

  it('says what to choose first, and shows BCGPT failures in the dropdown', async () => {
    const fake = fakeFor();
    expect(
      await loadOptions(createTodo, 'todolist', { auth, http: fake.http, hosts }),
    ).toMatchObject({ state: { disabled: true, placeholder: 'Choose a project first' } });
    expect(
      await loadOptions(getTodo, 'todo', { auth, http: fake.http, hosts, props: { project: '1' } }),
    ).toMatchObject({ state: { disabled: true, placeholder: 'Choose a to-do list first' } });
    expect(await loadOptions(createTodo, 'project', { http: fake.http, hosts })).toMatchObject({
      state: { disabled: true, placeholder: 'Choose a BCGPT connection first' },
    });
    const unlinked = await loadOptions(createTodo, 'project', {
      auth: { apiKey: UNLINKED_KEY },
      http: fake.http,
      hosts,
    });
    expect(unlinked).toMatchObject({
      state: { disabled: true, placeholder: expect.stringMatching(/link Basecamp again/) },
    });
    expect(fake.http.calls.every((c) => c.headers['x-bcgpt-api-key'] !== undefined)).toBe(true);
  });
});

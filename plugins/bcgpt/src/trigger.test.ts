import { createMemoryStore, createTestContext, runTrigger } from '@pmos/sdk/testing';
import { describe, expect, it } from 'vitest';
import pkg from '../package.json' with { type: 'json' };
import { BcgptError } from './client/errors.js';
import type { bcgptAuth } from './connection.js';
import { createFakeBcgpt } from './testing/fake-bcgpt.js';
import { LINKED_KEY, UNKNOWN_KEY, withTestKeys } from './testing/keys.js';
import { type TodoEvent, todoActivity } from './trigger.js';

const hosts = pkg.pmos.permissions.hosts;
const auth = { apiKey: LINKED_KEY, baseUrl: undefined };

function setup(props: Record<string, unknown>) {
  const fake = withTestKeys(createFakeBcgpt());
  const store = createMemoryStore();
  const poll = () => runTrigger(todoActivity, { auth, props, store, http: fake.http, hosts });
  return { fake, store, poll };
}

describe('the to-do polling trigger', () => {
  it('is a polling trigger with a dedupe key per event and to-do', () => {
    expect(todoActivity.strategy).toBe('polling');
    expect(todoActivity.pollingIntervalMinutes).toBe(5);
    const event = { event: 'new', todo: { id: 7 } } as TodoEvent;
    expect(todoActivity.dedupeKey?.(event)).toBe('new:7');
  });

  it('records what exists on the first poll, then fires for new to-dos only', async () => {
    const { fake, store, poll } = setup({ project: '1001', event: 'new' });
    expect((await poll()).events).toEqual([]);
    expect(store.dump()).toEqual({
      'flow:todo-cursor': { seen: ['3101', '3102'], open: { '3101': 2001, '3102': 2001 } },
    });
    fake.addTodo({ id: 3200, content: 'Book the venue', todolist_id: 2002 });
    const second = await poll();
    expect(second.events).toEqual([
      {
        event: 'new',
        project: '1001',
        todolist_id: 2002,
        todo: expect.objectContaining({ id: 3200, content: 'Book the venue' }),
      },
    ]);
    expect((await poll()).events).toEqual([]);
    // Each poll reads the project's lists, then each list's to-dos.
    expect(fake.toolCalls.slice(0, 3).map((c) => [c.name, c.arguments])).toEqual([
      ['list_todolists', { project: '1001' }],
      ['list_todos_for_list', { project: '1001', todolist_id: 2001 }],
      ['list_todos_for_list', { project: '1001', todolist_id: 2002 }],
    ]);
  });

  it('fires for a to-do completed since the last poll, looking up what left the list', async () => {
    const { fake, poll } = setup({ project: '1001', todolist: 2001, event: 'completed' });
    await poll();
    // Basecamp lists open to-dos only: a completed to-do leaves the list.
    const done = fake.todos.find((t) => t.id === 3101);
    if (done) {
      done.completed = true;
      done.todolist_id = -1;
    }
    const second = await poll();
    expect(second.events).toEqual([
      {
        event: 'completed',
        project: '1001',
        todolist_id: 2001,
        todo: expect.objectContaining({ id: 3101, completed: true }),
      },
    ]);
    expect(fake.toolCalls.map((c) => c.name)).toEqual([
      'list_todos_for_list',
      'list_todos_for_list',
      'get_todo',
    ]);
    expect((await poll()).events).toEqual([]);
  });

  it('fires "completed" for a done to-do still listed, and ignores trashed ones', async () => {
    const { fake, poll } = setup({ project: '1001', todolist: 2001, event: 'completed' });
    await poll();
    const listed = fake.todos.find((t) => t.id === 3102);
    if (listed) listed.completed = true;
    fake.todos.splice(
      fake.todos.findIndex((t) => t.id === 3101),
      1,
    );
    const second = await poll();
    expect(second.events.map((e) => [e.event, e.todo.id])).toEqual([['completed', 3102]]);
  });

  it('sets its cursor when a flow is enabled, so the first poll fires', async () => {
    const fake = withTestKeys(createFakeBcgpt());
    const store = createMemoryStore();
    const props = { project: '1001', todolist: 2002, event: 'new' };
    const { ctx } = createTestContext<typeof bcgptAuth, typeof todoActivity.props>(
      todoActivity.props,
      { auth, props, store, http: fake.http, hosts },
    );
    await todoActivity.onEnable?.(ctx);
    fake.addTodo({ id: 3300, content: 'Send invites', todolist_id: 2002 });
    const { events } = await runTrigger(todoActivity, {
      auth,
      props,
      store,
      http: fake.http,
      hosts,
    });
    expect(events.map((e) => e.todo.id)).toEqual([3300]);
  });
});

describe('testing the to-do trigger ("Load a real event")', () => {
  /** Calls `test` the way the host does: a fresh store and the flow's trigger step. */
  function setupTest(props: Record<string, unknown>, apiKey = LINKED_KEY) {
    const fake = withTestKeys(createFakeBcgpt());
    const store = createMemoryStore();
    const load = () => {
      const { ctx } = createTestContext<typeof bcgptAuth, typeof todoActivity.props>(
        todoActivity.props,
        {
          auth: { apiKey, baseUrl: undefined },
          props,
          store,
          http: fake.http,
          hosts,
          run: { flowId: 'flow_1', stepName: 'trigger' },
        },
      );
      if (!todoActivity.test) throw new Error('the trigger has no test');
      return todoActivity.test(ctx);
    };
    return { fake, store, load };
  }

  it("returns the project's to-dos as events, newest first and at most 5", async () => {
    const { fake, store, load } = setupTest({ project: '1001', event: 'new' });
    for (const id of [3201, 3203, 3202]) {
      fake.addTodo({ id, content: `Task ${id}`, todolist_id: 2002 });
    }
    fake.addTodo({ id: 3150, content: 'Task 3150', todolist_id: 2001 });
    const events = await load();
    expect(events.map((e) => [e.event, e.todolist_id, e.todo.id])).toEqual([
      ['new', 2002, 3203],
      ['new', 2002, 3202],
      ['new', 2002, 3201],
      ['new', 2001, 3150],
      ['new', 2001, 3102],
    ]);
    expect(events[0]).toEqual({
      event: 'new',
      project: '1001',
      todolist_id: 2002,
      todo: expect.objectContaining({ id: 3203, content: 'Task 3203', completed: false }),
    });
    // Nothing is written: the first real poll still only records what is there.
    expect(store.dump()).toEqual({});
  });

  it('honours the chosen to-do list', async () => {
    const { fake, load } = setupTest({ project: '1001', todolist: 2001, event: 'new' });
    fake.addTodo({ id: 3300, content: 'Not in this list', todolist_id: 2002 });
    const events = await load();
    expect(events.map((e) => [e.todolist_id, e.todo.id])).toEqual([
      [2001, 3102],
      [2001, 3101],
    ]);
    expect(fake.toolCalls.map((c) => [c.name, c.arguments])).toEqual([
      ['list_todos_for_list', { project: '1001', todolist_id: 2001 }],
    ]);
  });

  it('gives open to-dos as examples of "completed" (BCGPT lists open to-dos only)', async () => {
    const { load } = setupTest({ project: '1001', todolist: 2001, event: 'completed' });
    const events = await load();
    expect(events.map((e) => [e.event, e.todo.id])).toEqual([
      ['completed', 3102],
      ['completed', 3101],
    ]);
  });

  it("neither reads nor changes the flow's cursor", async () => {
    const { store, load } = setupTest({ project: '1001', event: 'new' });
    const cursor = { seen: ['3101', '3102'], open: { '3101': 2001, '3102': 2001 } };
    await store.put('todo-cursor', cursor, 'flow');
    const events = await load();
    expect(events.map((e) => e.todo.id)).toEqual([3102, 3101]);
    expect(store.dump()).toEqual({ 'flow:todo-cursor': cursor });
  });

  it("turns a BCGPT failure into the plugin's typed error", async () => {
    const { load } = setupTest({ project: '1001', event: 'new' }, UNKNOWN_KEY);
    const error = await load().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BcgptError);
    expect(error).toMatchObject({ code: 'basecamp_not_linked', tool: 'list_todolists' });
    expect(String((error as Error).message)).not.toContain(UNKNOWN_KEY);
  });
});

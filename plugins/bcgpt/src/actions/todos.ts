import { defineAction, prop } from '@pmos/sdk/server';
import { listIn, objectIn } from '../payload.js';
import { optionalProject, project, todo, todolist, todolistForTodo } from '../props.js';
import { bcgptAuth, callTool, sampleTodo, toTodo, wholeId } from './common.js';

const todoList = (payload: Record<string, unknown>) => {
  const todos = listIn(payload, ['todos']).map(toTodo);
  return { todos, count: todos.length };
};

export const listTodos = defineAction({
  id: 'list_todos',
  displayName: 'List to-dos',
  description: 'Lists the open to-dos of a to-do list.',
  risk: 'read',
  auth: bcgptAuth,
  props: { project, todolist },
  sampleOutput: { todos: [sampleTodo], count: 1 },
  async run(ctx) {
    return todoList(
      await callTool(ctx, 'list_todos_for_list', {
        project: ctx.props.project,
        todolist_id: wholeId(ctx.props.todolist, 'The to-do list'),
      }),
    );
  },
});

export const listTodosDue = defineAction({
  id: 'list_todos_due',
  displayName: 'List to-dos due soon',
  description: 'Lists to-dos due within the next days, overdue ones included if asked.',
  risk: 'read',
  auth: bcgptAuth,
  props: {
    project: optionalProject,
    days: prop.number({
      displayName: 'Days ahead',
      description: 'Due today and within this many days (default 7).',
      required: false,
      defaultValue: 7,
    }),
    include_overdue: prop.checkbox({
      displayName: 'Include overdue',
      description: 'Also list to-dos whose due date has passed.',
      required: false,
      defaultValue: true,
    }),
  },
  sampleOutput: { todos: [sampleTodo], count: 1 },
  async run(ctx) {
    return todoList(
      await callTool(ctx, 'list_todos_due', {
        project: ctx.props.project,
        days: ctx.props.days ?? 7,
        include_overdue: ctx.props.include_overdue ?? true,
      }),
    );
  },
});

export const listAssignedToMe = defineAction({
  id: 'list_assigned_to_me',
  displayName: 'List my to-dos',
  description: 'Lists the open to-dos assigned to the person whose BCGPT key this is.',
  risk: 'read',
  auth: bcgptAuth,
  props: { project: optionalProject },
  sampleOutput: { todos: [sampleTodo], count: 1 },
  async run(ctx) {
    return todoList(await callTool(ctx, 'list_assigned_to_me', { project: ctx.props.project }));
  },
});

export const getTodo = defineAction({
  id: 'get_todo',
  displayName: 'Get to-do',
  description: 'Reads one to-do.',
  risk: 'read',
  auth: bcgptAuth,
  props: { project, todolist: todolistForTodo, todo },
  sampleOutput: sampleTodo,
  async run(ctx) {
    const payload = await callTool(ctx, 'get_todo', {
      project: ctx.props.project,
      todo_id: wholeId(ctx.props.todo, 'The to-do'),
    });
    return toTodo(objectIn(payload, 'todo'));
  },
});

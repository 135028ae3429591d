import { defineAction, prop } from '@pmos/sdk/server';
import { objectIn } from '../payload.js';
import { assignees, project, targetTodolist, todo, todolist, todolistForTodo } from '../props.js';
import { bcgptAuth, callTool, invalidInput, sampleTodo, toTodo, wholeId } from './common.js';

const dateOnly = (value: string | undefined) => (value ? value.slice(0, 10) : undefined);

const todoProps = {
  description: prop.longText({
    displayName: 'Notes',
    description: 'Details shown under the to-do (Basecamp accepts simple HTML).',
    required: false,
  }),
  due_on: prop.dateTime({ displayName: 'Due on', description: 'The due date.', required: false }),
  starts_on: prop.dateTime({
    displayName: 'Starts on',
    description: 'When work starts (needs a due date).',
    required: false,
  }),
  assignees,
};

export const createTodo = defineAction({
  id: 'create_todo',
  displayName: 'Create to-do',
  description: 'Adds a to-do to a to-do list.',
  risk: 'write',
  auth: bcgptAuth,
  props: {
    project,
    todolist,
    content: prop.shortText({
      displayName: 'To-do',
      description: 'What needs doing.',
      required: true,
    }),
    ...todoProps,
    notify: prop.checkbox({
      displayName: 'Notify assignees',
      description: 'Tell the assignees in Basecamp.',
      required: false,
      defaultValue: false,
    }),
  },
  sampleOutput: sampleTodo,
  async run(ctx) {
    const content = ctx.props.content.trim();
    if (!content) throw invalidInput('Write what the to-do is.');
    const payload = await callTool(ctx, 'create_todo', {
      project: ctx.props.project,
      todolist: String(wholeId(ctx.props.todolist, 'The to-do list')),
      task: content,
      description: ctx.props.description,
      due_on: dateOnly(ctx.props.due_on),
      starts_on: dateOnly(ctx.props.starts_on),
      assignee_ids: ctx.props.assignees?.length ? ctx.props.assignees : undefined,
      notify: ctx.props.notify === true ? true : undefined,
    });
    const created = toTodo(objectIn(payload, 'todo'));
    ctx.logger.info('Created a Basecamp to-do', { project: ctx.props.project, todo: created.id });
    return created;
  },
});

export const updateTodo = defineAction({
  id: 'update_todo',
  displayName: 'Update to-do',
  description:
    'Changes the text, notes, dates or assignees of a to-do; fields left empty stay as they are.',
  risk: 'write',
  auth: bcgptAuth,
  props: {
    project,
    todolist: todolistForTodo,
    todo,
    content: prop.shortText({
      displayName: 'To-do',
      description: 'The new text.',
      required: false,
    }),
    ...todoProps,
  },
  sampleOutput: sampleTodo,
  async run(ctx) {
    const payload = await callTool(ctx, 'update_todo_details', {
      project: ctx.props.project,
      todo_id: wholeId(ctx.props.todo, 'The to-do'),
      content: ctx.props.content?.trim(),
      description: ctx.props.description,
      due_on: dateOnly(ctx.props.due_on),
      starts_on: dateOnly(ctx.props.starts_on),
      assignee_ids: ctx.props.assignees?.length ? ctx.props.assignees : undefined,
    });
    return toTodo(objectIn(payload, 'todo'));
  },
});

const todoTarget = { project, todolist: todolistForTodo, todo };

function simpleTodoAction(o: {
  id: string;
  tool: string;
  displayName: string;
  description: string;
  risk: 'write' | 'destructive';
  sample: Record<string, unknown>;
}) {
  return defineAction({
    id: o.id,
    displayName: o.displayName,
    description: o.description,
    risk: o.risk,
    auth: bcgptAuth,
    props: todoTarget,
    sampleOutput: o.sample,
    async run(ctx) {
      const todoId = wholeId(ctx.props.todo, 'The to-do');
      const payload = await callTool(ctx, o.tool, { project: ctx.props.project, todo_id: todoId });
      return { todo_id: todoId, ...payload };
    },
  });
}

export const completeTodo = simpleTodoAction({
  id: 'complete_todo',
  tool: 'complete_todo',
  displayName: 'Complete to-do',
  description: 'Marks a to-do as done.',
  risk: 'write',
  sample: { todo_id: 3101, completed: true, message: 'Todo completed' },
});

export const uncompleteTodo = simpleTodoAction({
  id: 'uncomplete_todo',
  tool: 'uncomplete_todo',
  displayName: 'Reopen to-do',
  description: 'Marks a done to-do as not done again.',
  risk: 'write',
  sample: { todo_id: 3101, completed: false, message: 'Todo reopened' },
});

export const trashTodo = simpleTodoAction({
  id: 'trash_todo',
  tool: 'trash_todo',
  displayName: 'Trash to-do',
  description: 'Moves a to-do to the trash in Basecamp (it can be restored there for 30 days).',
  risk: 'destructive',
  sample: { todo_id: 3101, trashed: true },
});

export const moveTodo = defineAction({
  id: 'move_todo',
  displayName: 'Move to-do',
  description: 'Moves a to-do to another to-do list of the same project.',
  risk: 'write',
  auth: bcgptAuth,
  props: {
    ...todoTarget,
    target_todolist: targetTodolist,
  },
  sampleOutput: { todo_id: 3101, target_todolist_id: 2002 },
  async run(ctx) {
    const todoId = wholeId(ctx.props.todo, 'The to-do');
    const target = wholeId(ctx.props.target_todolist, 'The target to-do list');
    const payload = await callTool(ctx, 'move_todo', {
      project: ctx.props.project,
      todo_id: todoId,
      target_todolist_id: target,
    });
    return { todo_id: todoId, target_todolist_id: target, ...payload };
  },
});

/**
 * The server side of the BCGPT plugin (`pmos.server.entry`): Basecamp reached through
 * BCGPT's JSON-RPC `/mcp`, adapted to BCGPT as it behaves (raw results, string error
 * codes, chunked lists). It imports nothing but `@pmos/sdk`.
 */
import { defineConnector, definePlugin } from '@pmos/sdk/server';
import pkg from '../package.json' with { type: 'json' };
import { callAnyTool } from './actions/call-tool.js';
import { createComment, createMessage, listComments, listMessages } from './actions/messages.js';
import { listPeople, search } from './actions/people-search.js';
import { findProject, listProjects, listTodolists } from './actions/projects.js';
import {
  completeTodo,
  createTodo,
  moveTodo,
  trashTodo,
  uncompleteTodo,
  updateTodo,
} from './actions/todo-changes.js';
import { getTodo, listAssignedToMe, listTodos, listTodosDue } from './actions/todos.js';
import { bcgptAuth } from './connection.js';
import { checkBcgptHealth } from './status.js';
import { todoActivity } from './trigger.js';

export { BCGPT_READ_ONLY_TOOLS, isReadOnlyBcgptCall, riskOfBcgptCall } from './tool-risk.js';

export const bcgpt = defineConnector({
  id: 'bcgpt',
  displayName: 'Basecamp (BCGPT)',
  description: 'Basecamp projects, to-dos, messages, comments and people, through BCGPT.',
  auth: bcgptAuth,
  healthCheck: checkBcgptHealth,
  actions: [
    listProjects,
    findProject,
    listTodolists,
    listTodos,
    listTodosDue,
    listAssignedToMe,
    getTodo,
    createTodo,
    updateTodo,
    completeTodo,
    uncompleteTodo,
    moveTodo,
    trashTodo,
    listMessages,
    createMessage,
    listComments,
    createComment,
    listPeople,
    search,
    callAnyTool,
  ],
  triggers: [todoActivity],
});

export default definePlugin({
  id: pkg.pmos.id,
  version: pkg.version,
  sdk: pkg.pmos.sdk,
  displayName: pkg.pmos.displayName,
  description: pkg.pmos.description,
  contributes: {
    connectors: [bcgpt],
    panels: [{ slot: 'integrations.connector.settings', expose: './Settings', connector: 'bcgpt' }],
  },
  permissions: { hosts: pkg.pmos.permissions.hosts },
});

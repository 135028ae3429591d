import type { Risk } from '@pmos/sdk/server';

/**
 * BCGPT tools that only read (reference bcgpt-basecamp.md §1.4). BCGPT tools carry no MCP
 * annotations, so PMOS keeps this list: the chat layer may run these without approval.
 * `basecamp_request` / `basecamp_raw` are read-only only with a GET method (see below).
 */
export const BCGPT_READ_ONLY_TOOLS: readonly string[] = Object.freeze([
  'startbcgpt',
  'whoami',
  'list_accounts',
  'get_my_profile',
  'list_projects',
  'find_project',
  'get_project',
  'search_projects',
  'get_project_structure',
  'summarize_project',
  'list_todolists',
  'list_todos_for_list',
  'get_todo',
  'list_todos_due',
  'list_assigned_to_me',
  'list_messages',
  'list_comments',
  'list_project_people',
  'search_basecamp',
  'resolve_entity_from_url',
  'get_cached_payload_chunk',
]);

const rawTools = new Set(['basecamp_request', 'basecamp_raw']);
const writePrefixes = ['create_', 'update_'];
const writeTools = new Set(['complete_todo', 'uncomplete_todo', 'move_todo', 'smart_action']);

function methodOf(args: Record<string, unknown> | undefined): string {
  const method = args?.method;
  return typeof method === 'string' && method.trim() ? method.trim().toUpperCase() : 'GET';
}

/**
 * The risk of one BCGPT tool call, for the generic "call any tool" path: known read-only
 * tools (and raw GETs) are `read`; creates, updates, completing, moving and smart_action
 * are `write`; trashing, raw non-GET requests and every tool PMOS does not know are
 * `destructive`, so they always stop for an approval.
 */
export function riskOfBcgptCall(tool: string, args?: Record<string, unknown>): Risk {
  if (rawTools.has(tool)) return methodOf(args) === 'GET' ? 'read' : 'destructive';
  if (BCGPT_READ_ONLY_TOOLS.includes(tool)) return 'read';
  if (tool.startsWith('trash_')) return 'destructive';
  if (writeTools.has(tool) || writePrefixes.some((p) => tool.startsWith(p))) return 'write';
  return 'destructive';
}

/** Whether the chat layer may run this call without an approval. */
export function isReadOnlyBcgptCall(tool: string, args?: Record<string, unknown>): boolean {
  return riskOfBcgptCall(tool, args) === 'read';
}

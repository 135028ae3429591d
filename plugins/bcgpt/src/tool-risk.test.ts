import { describe, expect, it } from 'vitest';
import { BCGPT_READ_ONLY_TOOLS, isReadOnlyBcgptCall, riskOfBcgptCall } from './tool-risk.js';

describe('BCGPT tool risk', () => {
  it.each([
    ['list_projects', undefined, 'read'],
    ['get_todo', undefined, 'read'],
    ['search_basecamp', undefined, 'read'],
    ['basecamp_raw', { path: '/projects.json' }, 'read'],
    ['basecamp_raw', { path: '/projects.json', method: 'get' }, 'read'],
    ['basecamp_request', { method: 'POST' }, 'destructive'],
    ['basecamp_raw', { method: 'DELETE' }, 'destructive'],
    ['create_todo', undefined, 'write'],
    ['update_todo_details', undefined, 'write'],
    ['complete_todo', undefined, 'write'],
    ['uncomplete_todo', undefined, 'write'],
    ['move_todo', undefined, 'write'],
    ['smart_action', undefined, 'write'],
    ['trash_todo', undefined, 'destructive'],
    ['trash_message', undefined, 'destructive'],
    ['some_future_tool', undefined, 'destructive'],
  ] as const)('%s %o is %s', (tool, args, risk) => {
    expect(riskOfBcgptCall(tool, args)).toBe(risk);
    expect(isReadOnlyBcgptCall(tool, args)).toBe(risk === 'read');
  });

  it('keeps a frozen list without any writing tool', () => {
    expect(Object.isFrozen(BCGPT_READ_ONLY_TOOLS)).toBe(true);
    for (const name of BCGPT_READ_ONLY_TOOLS) {
      expect(name).not.toMatch(/^(create_|update_|trash_|complete|uncomplete|move_)/);
    }
  });
});

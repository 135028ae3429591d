import type { Risk } from '@pmos/sdk/server';

/**
 * An action's risk from its name and description, for the approval rule in chat: deletes are
 * `destructive`, lookups `read`, anything else `write` (the safe default: it asks first).
 * Words are matched whole, in snake_case, camelCase and prose alike.
 */
const destructiveWords = new Set([
  'delete',
  'remove',
  'trash',
  'destroy',
  'purge',
  'erase',
  'archive',
  'revoke',
  'unsubscribe',
  'wipe',
  'clear',
]);
const readWords = new Set([
  'get',
  'list',
  'find',
  'search',
  'read',
  'fetch',
  'retrieve',
  'lookup',
  'look',
  'query',
  'count',
  'check',
  'download',
  'export',
  'view',
  'show',
]);

function wordsOf(text: string): string[] {
  return text
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

export function riskOf(action: { name: string; displayName?: string; description?: string }): Risk {
  const nameWords = [...wordsOf(action.name), ...wordsOf(action.displayName ?? '')];
  if (nameWords.some((w) => destructiveWords.has(w))) return 'destructive';
  // A read is named so; the description only confirms, it never makes a write a read.
  const first = nameWords[0];
  if (first && readWords.has(first)) {
    const described = wordsOf(action.description ?? '');
    return described.some((w) => destructiveWords.has(w)) ? 'destructive' : 'read';
  }
  return 'write';
}

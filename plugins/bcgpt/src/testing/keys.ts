import type { FakeBcgpt } from './fake-bcgpt.js';

/** API keys the tests use: linked to Basecamp, valid but not linked, and unknown. */
export const LINKED_KEY = 'bcgpt_live_linked_0123456789';
export const UNLINKED_KEY = 'bcgpt_live_unlinked_9876543210';
export const UNKNOWN_KEY = 'bcgpt_live_unknown_5555555555';

export function withTestKeys(fake: FakeBcgpt): FakeBcgpt {
  fake.addKey(LINKED_KEY, {
    user: { name: 'Ada Lovelace', email: 'ada@example.com' },
    linked: true,
    accounts: [
      { id: 99, name: 'Analytical Engines Ltd' },
      { id: 98, name: 'Side project' },
    ],
    selectedAccountId: 99,
  });
  fake.addKey(UNLINKED_KEY, {
    user: { name: 'Charles Babbage', email: 'charles@example.com' },
    linked: false,
    accounts: [],
    selectedAccountId: null,
  });
  return fake;
}

import { describe, expect, it } from 'vitest';
import type { FlowLink } from '../api-types.js';
import { mount } from '../testing/mount.js';
import { SyncBadge, systemName } from './sync-badge.js';

// The sync state of a linked flow in the Automations list, in jsdom with React's act().

function render(link: FlowLink | undefined) {
  return mount(<SyncBadge link={link} system={systemName(link?.pluginId)} />).host;
}

const link = (state: FlowLink['state'], error: string | null = null): FlowLink => ({
  flowId: '00000000-0000-4000-8000-000000000001',
  pluginId: 'activepieces',
  syncId: 'activepieces',
  connectionId: '00000000-0000-4000-8000-000000000002',
  externalId: 'ap-flow-1',
  state,
  error,
  lastPushedRevision: 3,
  lastRemoteVersion: 'v1',
  lastRemoteUpdatedAt: null,
  syncedAt: null,
  conflict: null,
});

describe('SyncBadge', () => {
  it('says nothing for a flow that is not linked', () => {
    expect(render(undefined).textContent).toBe('');
  });

  it.each([
    ['in_sync', 'Activepieces: In sync'],
    ['pending_push', 'Activepieces: Changes to send'],
    ['conflict', 'Activepieces: Conflict: choose a side'],
    ['linked', 'Activepieces: Linked, not synced yet'],
  ] as const)('names the %s state in words', (state, text) => {
    expect(render(link(state)).textContent).toBe(text);
  });

  it('shows the sync error on hover', () => {
    const shown = render(link('error', 'Activepieces refused the push: step_2 is not a piece.'));
    expect(shown.textContent).toBe('Activepieces: Sync error');
    expect(shown.querySelector('[title]')?.getAttribute('title')).toContain(
      'step_2 is not a piece',
    );
  });
});

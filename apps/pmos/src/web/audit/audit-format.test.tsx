import { describe, expect, it } from 'vitest';
import { actionLabel, targetLabel } from './audit-format.js';

describe('audit labels', () => {
  it('reads a tool mark with the tool and the mark, or as removed', () => {
    expect(
      actionLabel({ action: 'connection.tool_mark', metadata: { tool: 'add_note', mark: 'safe' } }),
    ).toBe('Tool add_note marked safe');
    expect(
      actionLabel({
        action: 'connection.tool_mark',
        metadata: { tool: 'add_note', mark: null, before: 'gated' },
      }),
    ).toBe('Mark of tool add_note removed');
  });

  it('names connection events and their target', () => {
    expect(actionLabel({ action: 'connection.create', metadata: {} })).toBe('Connection added');
    expect(actionLabel({ action: 'connection.never_seen', metadata: {} })).toBe(
      'Connection never seen',
    );
    expect(
      targetLabel({
        targetType: 'connection',
        targetId: '0b7a4c2e-0000-4000-8000-000000000000',
        metadata: { tool: 'add_note' },
      }),
    ).toEqual({ type: 'Connection', name: '0b7a4c2e…' });
  });
});

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

  it("names automations' events, and a sync round by what it did", () => {
    expect(actionLabel({ action: 'flow.publish', metadata: {} })).toBe('Automation published');
    expect(actionLabel({ action: 'flow.link', metadata: { outcome: 'pushed' } })).toBe(
      'Automation linked to another system',
    );
    expect(
      actionLabel({ action: 'flow.sync', metadata: { mode: 'pull', outcome: 'pulled' } }),
    ).toBe('Automation synced: other version taken');
    expect(actionLabel({ action: 'flow.sync', metadata: {} })).toBe('Automation synced');
    expect(targetLabel({ targetType: 'flow', targetId: 'f1', metadata: {} })).toEqual({
      type: 'Automation',
      name: 'f1',
    });
  });
});

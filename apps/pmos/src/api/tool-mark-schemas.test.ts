import { describe, expect, it } from 'vitest';
import { setToolMarksBodySchema, toolPolicy } from './tool-mark-schemas.js';

describe('toolPolicy', () => {
  it("follows the admin's mark first, else the server's word: only read-only tools run", () => {
    expect(toolPolicy('safe', 'destructive')).toBe('runs');
    expect(toolPolicy('gated', 'read')).toBe('asks');
    expect(toolPolicy('blocked', 'read')).toBe('refused');
    expect(toolPolicy(null, 'read')).toBe('runs');
    expect(toolPolicy(null, 'write')).toBe('refused');
    expect(toolPolicy(null, 'destructive')).toBe('refused');
    // A tool the server no longer lists runs only on an admin's word.
    expect(toolPolicy(null, null)).toBe('refused');
    expect(toolPolicy('safe', null)).toBe('runs');
  });
});

describe('setToolMarksBodySchema', () => {
  it('trims tool names and takes null to remove a mark', () => {
    expect(setToolMarksBodySchema.parse({ marks: [{ tool: ' add_note ', mark: null }] })).toEqual({
      marks: [{ tool: 'add_note', mark: null }],
    });
  });

  it.each([
    [{ marks: [] }, 'Give at least one mark.'],
    [{ marks: [{ tool: 'a', mark: 'trusted' }] }, 'A mark is safe, gated, blocked or null.'],
    [{ marks: [{ tool: 'x'.repeat(201), mark: 'safe' }] }, 'at most 200 characters'],
    [
      {
        marks: [
          { tool: 'a', mark: 'safe' },
          { tool: 'a', mark: null },
        ],
      },
      'Give each tool one mark at a time.',
    ],
  ])('refuses %o', (body, message) => {
    const result = setToolMarksBodySchema.safeParse(body);
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.message).join(' ')).toContain(message);
  });
});

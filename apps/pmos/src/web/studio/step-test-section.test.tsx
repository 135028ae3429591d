import { describe, expect, it } from 'vitest';
import { eventPreview } from './step-test-section.js';

describe('eventPreview', () => {
  it('names an event by the text of its subject, a few levels down, with its id', () => {
    const todo = { event: 'new', project: '1001', todo: { id: 3101, content: 'Write the page' } };
    expect(eventPreview(todo)).toBe('Write the page · #3101');
    expect(eventPreview({ issue: { title: 'Crash on save', number: 7 } })).toBe('Crash on save');
    expect(eventPreview({ name: 'Ada', id: 'u1', team: { name: 'Core' } })).toBe('Ada · #u1');
  });

  it('falls back to the JSON, cut to one line', () => {
    expect(eventPreview({ firedAt: '2026-11-26T09:00:00.000Z' })).toBe(
      '{"firedAt":"2026-11-26T09:00:00.000Z"}',
    );
    expect(eventPreview({ values: 'x'.repeat(200) }, 20)).toHaveLength(20);
    expect(eventPreview(null)).toBe('null');
  });
});

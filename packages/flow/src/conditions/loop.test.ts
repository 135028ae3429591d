import { describe, expect, it } from 'vitest';
import { resolveLoopItems } from './loop.js';

const rows = [{ id: 1 }, { id: 2 }];
const context = {
  step_1: {
    rows,
    rowsJson: '[1, "two", {"three": 3}]',
    none: null,
    empty: '',
    emptyList: [],
    record: { id: 1 },
    count: 3,
    flag: true,
    text: 'apples, pears',
    broken: '[1, 2',
    jsonObject: '{"a": 1}',
  },
};

describe('resolveLoopItems', () => {
  it('uses an array as it is', () => {
    const result = resolveLoopItems('{{step_1.rows}}', context);
    expect(result).toEqual({ ok: true, items: rows });
    expect(result.ok && result.items).toBe(rows);
  });

  it.each([
    ['a JSON-array string', '{{step_1.rowsJson}}', [1, 'two', { three: 3 }]],
    ['a JSON array written in the template', '["a", "b"]', ['a', 'b']],
    ['values interpolated into a JSON array', '[{{step_1.count}}, 4]', [3, 4]],
    ['an empty array', '{{step_1.emptyList}}', []],
    ['null', '{{step_1.none}}', []],
    ['a missing value', '{{step_1.missing}}', []],
    ['a missing step', '{{step_9.rows}}', []],
    ["''", '{{step_1.empty}}', []],
    ['an empty template', '', []],
  ])('reads %s', (_, template, items) => {
    expect(resolveLoopItems(template, context)).toEqual({ ok: true, items });
  });

  it.each([
    ['an object', '{{step_1.record}}', 'expected a list of items, got an object'],
    ['a number', '{{step_1.count}}', 'expected a list of items, got the number 3'],
    ['a boolean', '{{step_1.flag}}', 'expected a list of items, got the value true'],
    ['text', '{{step_1.text}}', 'expected a list of items, got the text "apples, pears"'],
    ['broken JSON', '{{step_1.broken}}', 'expected a list of items, got the text "[1, 2"'],
    [
      'a JSON object string',
      '{{step_1.jsonObject}}',
      'expected a list of items, got the text "{\\"a\\": 1}"',
    ],
  ])('refuses %s', (_, template, reason) => {
    expect(resolveLoopItems(template, context)).toEqual({ ok: false, reason });
  });

  it('shortens long text in the reason', () => {
    const result = resolveLoopItems('x'.repeat(100), context);
    expect(result).toEqual({
      ok: false,
      reason: `expected a list of items, got the text "${'x'.repeat(40)}…"`,
    });
  });
});

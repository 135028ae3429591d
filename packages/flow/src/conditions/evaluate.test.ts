import { describe, expect, it } from 'vitest';
import type { Condition, ConditionOperator } from '../schema/condition.js';
import { evaluateCondition } from './evaluate.js';

const context = {
  trigger: {
    body: {
      name: 'Ada Lovelace',
      count: 42,
      countText: '42',
      price: '19.99',
      flag: true,
      off: false,
      flagText: 'TRUE',
      nothing: null,
      empty: '',
      zero: 0,
      tags: ['urgent', 'Billing', 7],
      tagsJson: '["urgent","Billing"]',
      noTags: [],
      profile: { id: 1 },
      createdAt: '2024-03-07T10:00:00Z',
      createdAtMs: Date.UTC(2024, 2, 7, 10),
    },
  },
};

function check(
  operator: ConditionOperator,
  firstValue: string,
  secondValue?: string,
  caseSensitive?: boolean,
): boolean {
  const condition: Condition = { firstValue, operator };
  if (secondValue !== undefined) condition.secondValue = secondValue;
  if (caseSensitive !== undefined) condition.caseSensitive = caseSensitive;
  return evaluateCondition(condition, context);
}

type Case = [string, string | undefined, boolean];

function table(operator: ConditionOperator, cases: Case[], caseSensitive?: boolean) {
  it.each(cases)(`${operator} %j %j → %s`, (first, second, expected) => {
    expect(check(operator, first, second, caseSensitive)).toBe(expected);
  });
}

describe('evaluateCondition: text operators', () => {
  describe('case-insensitive by default', () => {
    table('TEXT_CONTAINS', [
      ['{{trigger.body.name}}', 'love', true],
      ['{{trigger.body.name}}', 'LOVE', true],
      ['{{trigger.body.name}}', 'babbage', false],
      ['{{trigger.body.name}}', '', true],
      ['{{trigger.body.count}}', '4', true],
      ['{{trigger.body.profile}}', '"id":1', true],
      ['{{trigger.body.nothing}}', 'null', false],
    ]);
    table('TEXT_DOES_NOT_CONTAIN', [
      ['{{trigger.body.name}}', 'LOVE', false],
      ['{{trigger.body.name}}', 'babbage', true],
    ]);
    table('TEXT_EXACTLY_MATCHES', [
      ['{{trigger.body.name}}', 'ada lovelace', true],
      ['{{trigger.body.name}}', 'Ada', false],
      ['{{trigger.body.count}}', '42', true],
      ['{{trigger.body.flag}}', 'TRUE', true],
      ['{{trigger.body.missing}}', '', true],
      ['{{trigger.body.nothing}}', undefined, true],
      ['Hello {{trigger.body.name}}', 'hello ada lovelace', true],
    ]);
    table('TEXT_DOES_NOT_EXACTLY_MATCH', [
      ['{{trigger.body.name}}', 'ADA LOVELACE', false],
      ['{{trigger.body.name}}', 'Ada', true],
    ]);
    table('TEXT_STARTS_WITH', [
      ['{{trigger.body.name}}', 'ADA', true],
      ['{{trigger.body.name}}', 'Lovelace', false],
    ]);
    table('TEXT_ENDS_WITH', [
      ['{{trigger.body.name}}', 'LACE', true],
      ['{{trigger.body.name}}', 'Ada', false],
    ]);
    table('TEXT_MATCHES_REGEX', [
      ['{{trigger.body.name}}', '^ada\\s+l', true],
      ['{{trigger.body.name}}', '^lovelace', false],
      ['{{trigger.body.countText}}', '^\\d+$', true],
      ['{{trigger.body.name}}', '([a-z', false],
      ['{{trigger.body.name}}', '/ada/i', false],
      // Case is ignored through the `i` flag, not by lower-casing, so `\\D` keeps its meaning.
      ['{{trigger.body.countText}}', '^\\D', false],
    ]);
  });

  describe('with caseSensitive', () => {
    table(
      'TEXT_CONTAINS',
      [
        ['{{trigger.body.name}}', 'Love', true],
        ['{{trigger.body.name}}', 'love', false],
      ],
      true,
    );
    table(
      'TEXT_DOES_NOT_CONTAIN',
      [
        ['{{trigger.body.name}}', 'love', true],
        ['{{trigger.body.name}}', 'Love', false],
      ],
      true,
    );
    table(
      'TEXT_EXACTLY_MATCHES',
      [
        ['{{trigger.body.name}}', 'Ada Lovelace', true],
        ['{{trigger.body.name}}', 'ada lovelace', false],
      ],
      true,
    );
    table('TEXT_DOES_NOT_EXACTLY_MATCH', [['{{trigger.body.name}}', 'ada lovelace', true]], true);
    table('TEXT_STARTS_WITH', [['{{trigger.body.name}}', 'ada', false]], true);
    table('TEXT_ENDS_WITH', [['{{trigger.body.name}}', 'LACE', false]], true);
    table(
      'TEXT_MATCHES_REGEX',
      [
        ['{{trigger.body.name}}', '^Ada', true],
        ['{{trigger.body.name}}', '^ada', false],
      ],
      true,
    );
  });

  it('treats caseSensitive: false like no flag', () => {
    expect(check('TEXT_EXACTLY_MATCHES', '{{trigger.body.name}}', 'ADA LOVELACE', false)).toBe(
      true,
    );
  });
});

describe('evaluateCondition: number operators coerce decimal strings', () => {
  table('NUMBER_IS_GREATER_THAN', [
    ['{{trigger.body.count}}', '41', true],
    ['{{trigger.body.count}}', '42', false],
    ['{{trigger.body.countText}}', '9', true],
    ['{{trigger.body.price}}', '19.9', true],
    [' 1e3 ', '999', true],
    ['{{trigger.body.name}}', '1', false],
    ['{{trigger.body.missing}}', '-1', false],
    ['{{trigger.body.empty}}', '-1', false],
    ['{{trigger.body.flag}}', '0', false],
    ['0x10', '1', false],
    ['1,000', '1', false],
    ['Infinity', '1', false],
    ['5', undefined, false],
  ]);
  table('NUMBER_IS_LESS_THAN', [
    ['{{trigger.body.count}}', '100', true],
    ['{{trigger.body.count}}', '42', false],
    ['-2.5', '-2', true],
    ['abc', '1', false],
  ]);
  table('NUMBER_IS_EQUAL_TO', [
    ['{{trigger.body.count}}', '42', true],
    ['{{trigger.body.countText}}', '42.0', true],
    ['{{trigger.body.zero}}', '-0', true],
    ['{{trigger.body.count}}', '43', false],
    ['{{trigger.body.nothing}}', '0', false],
    ['{{trigger.body.empty}}', '0', false],
  ]);
});

describe('evaluateCondition: boolean operators', () => {
  table('BOOLEAN_IS_TRUE', [
    ['{{trigger.body.flag}}', undefined, true],
    ['{{trigger.body.flagText}}', undefined, true],
    [' true ', undefined, true],
    ['{{trigger.body.off}}', undefined, false],
    ['yes', undefined, false],
    ['1', undefined, false],
    ['{{trigger.body.name}}', undefined, false],
  ]);
  table('BOOLEAN_IS_FALSE', [
    ['{{trigger.body.off}}', undefined, true],
    ['False', undefined, true],
    ['{{trigger.body.flag}}', undefined, false],
    // Not a boolean at all: neither true nor false.
    ['{{trigger.body.missing}}', undefined, false],
    ['{{trigger.body.nothing}}', undefined, false],
    ['{{trigger.body.empty}}', undefined, false],
    ['{{trigger.body.zero}}', undefined, false],
  ]);
});

describe('evaluateCondition: date operators', () => {
  table('DATE_IS_BEFORE', [
    ['{{trigger.body.createdAt}}', '2024-03-08', true],
    ['{{trigger.body.createdAt}}', '2024-03-07', false],
    ['{{trigger.body.createdAt}}', '2024-03-07T10:00:00Z', false],
    ['{{trigger.body.createdAt}}', '2024-03-07T10:00:00.001Z', true],
    // Offsets are honoured; no offset means UTC.
    ['{{trigger.body.createdAt}}', '2024-03-07T11:30:00+01:00', true],
    ['{{trigger.body.createdAt}}', '2024-03-07 10:00:01', true],
    ['{{trigger.body.createdAtMs}}', '2024-03-07T10:00:01Z', true],
    ['{{trigger.body.createdAt}}', String(Date.UTC(2024, 2, 7, 10, 0, 1)), true],
    ['{{trigger.body.createdAt}}', 'not a date', false],
    ['{{trigger.body.createdAt}}', '2024-02-30', false],
    ['{{trigger.body.createdAt}}', '2024-13-01', false],
    ['{{trigger.body.createdAt}}', '2024-03-07T24:00:00Z', false],
    ['{{trigger.body.createdAt}}', 'March 8, 2024', false],
    ['{{trigger.body.missing}}', '2030-01-01', false],
    ['{{trigger.body.createdAt}}', undefined, false],
  ]);
  table('DATE_IS_AFTER', [
    ['{{trigger.body.createdAt}}', '2024-03-07', true],
    ['{{trigger.body.createdAt}}', '2024-03-07T10:00:00Z', false],
    ['{{trigger.body.createdAtMs}}', '2024-03-07T09:59:59.999Z', true],
    ['{{trigger.body.createdAt}}', '2024-03-07T11:00:00+02:00', true],
    ['2024-03-07T10:00:00-05:00', '{{trigger.body.createdAt}}', true],
    ['2024-02-29', '2024-02-28', true],
    ['2023-02-29', '2023-02-28', false],
    ['{{trigger.body.name}}', '2000-01-01', false],
  ]);
});

describe('evaluateCondition: existence', () => {
  table('EXISTS', [
    ['{{trigger.body.name}}', undefined, true],
    ['{{trigger.body.zero}}', undefined, true],
    ['{{trigger.body.off}}', undefined, true],
    ['{{trigger.body.noTags}}', undefined, true],
    [' ', undefined, true],
    ['{{trigger.body.missing}}', undefined, false],
    ['{{trigger.body.nothing}}', undefined, false],
    ['{{trigger.body.empty}}', undefined, false],
    ['', undefined, false],
  ]);
  table('DOES_NOT_EXIST', [
    ['{{trigger.body.missing}}', undefined, true],
    ['{{unknown_step.x}}', undefined, true],
    ['{{trigger.body.nothing}}', undefined, true],
    ['{{trigger.body.empty}}', undefined, true],
    ['{{trigger.body.zero}}', undefined, false],
    ['{{trigger.body.name}}', undefined, false],
  ]);
});

describe('evaluateCondition: list operators', () => {
  table('LIST_CONTAINS', [
    ['{{trigger.body.tags}}', 'urgent', true],
    ['{{trigger.body.tags}}', 'billing', true],
    ['{{trigger.body.tags}}', '7', true],
    ['{{trigger.body.tags}}', 'urg', false],
    ['{{trigger.body.tagsJson}}', 'BILLING', true],
    ['["a", "b"]', 'b', true],
    ['{{trigger.body.missing}}', 'urgent', false],
    // Not a list: the text is not searched.
    ['{{trigger.body.name}}', 'Ada Lovelace', false],
    ['{{trigger.body.profile}}', '1', false],
    ['[not json', '[not json', false],
  ]);
  table(
    'LIST_CONTAINS',
    [
      ['{{trigger.body.tags}}', 'Billing', true],
      ['{{trigger.body.tags}}', 'billing', false],
    ],
    true,
  );
  table('LIST_DOES_NOT_CONTAIN', [
    ['{{trigger.body.tags}}', 'URGENT', false],
    ['{{trigger.body.tags}}', 'spam', true],
    ['{{trigger.body.missing}}', 'spam', true],
    ['{{trigger.body.name}}', 'spam', false],
  ]);
  table(
    'LIST_DOES_NOT_CONTAIN',
    [
      ['{{trigger.body.tags}}', 'URGENT', true],
      ['{{trigger.body.tags}}', 'urgent', false],
    ],
    true,
  );
  table('LIST_IS_EMPTY', [
    ['{{trigger.body.noTags}}', undefined, true],
    ['[]', undefined, true],
    ['{{trigger.body.missing}}', undefined, true],
    ['{{trigger.body.nothing}}', undefined, true],
    ['{{trigger.body.empty}}', undefined, true],
    ['{{trigger.body.tags}}', undefined, false],
    ['{{trigger.body.profile}}', undefined, false],
    ['{{trigger.body.zero}}', undefined, false],
  ]);
  table('LIST_IS_NOT_EMPTY', [
    ['{{trigger.body.tags}}', undefined, true],
    ['{{trigger.body.tagsJson}}', undefined, true],
    ['{{trigger.body.noTags}}', undefined, false],
    ['{{trigger.body.missing}}', undefined, false],
    ['{{trigger.body.name}}', undefined, false],
    ['{{trigger.body.profile}}', undefined, false],
  ]);
});

describe('evaluateCondition never throws', () => {
  it('answers false for an operator it does not know', () => {
    const condition = { firstValue: 'a', operator: 'TEXT_IS_SHOUTED', secondValue: 'a' };
    expect(evaluateCondition(condition as unknown as Condition, context)).toBe(false);
  });

  it('reads values that are not JSON without throwing', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    const odd = { step_1: { cyclic, big: 10n } };
    const run = (condition: Condition) => evaluateCondition(condition, odd);
    expect(run({ firstValue: 'x {{step_1.cyclic}}', operator: 'EXISTS' })).toBe(false);
    expect(
      run({ firstValue: '{{step_1.cyclic}}', operator: 'TEXT_CONTAINS', secondValue: 'x' }),
    ).toBe(false);
    expect(
      run({ firstValue: '{{step_1.big}}', operator: 'TEXT_EXACTLY_MATCHES', secondValue: '10' }),
    ).toBe(true);
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseTemplate } from './parse.js';
import { findMalformedTemplates, parseReferences, renameReferences } from './references.js';
import { resolveTemplate } from './resolve.js';

const context = {
  trigger: { body: { x: 'hello', n: 3, flag: false, nothing: null, tags: ['a', 'b'] } },
  step_1: {
    items: [{ name: 'first' }, { name: 'second' }],
    'odd key': 'odd',
    "it's": 'quoted',
    nested: { deep: { value: 42 } },
    '0': 'zero key',
  },
  step_2: 'plain text',
  step_3: [10, 20],
};

describe('resolveTemplate: a whole-value reference yields the raw value', () => {
  it.each([
    ['{{trigger.body.x}}', 'hello'],
    ['{{trigger.body.n}}', 3],
    ['{{trigger.body.flag}}', false],
    ['{{trigger.body.nothing}}', null],
    ['{{trigger.body.tags}}', ['a', 'b']],
    ['{{trigger.body}}', context.trigger.body],
    ['{{step_1.items[0].name}}', 'first'],
    ['{{step_1.items[1]}}', { name: 'second' }],
    ['{{step_1.items.1.name}}', 'second'],
    ["{{step_1['odd key']}}", 'odd'],
    ['{{step_1["odd key"]}}', 'odd'],
    ["{{step_1['it\\'s']}}", 'quoted'],
    ['{{ step_1 . nested }}', '{{ step_1 . nested }}'],
    ['{{  step_1.nested.deep.value  }}', 42],
    ['{{step_1[ \'nested\' ]["deep"].value}}', 42],
    ['{{step_1[0]}}', 'zero key'],
    ['{{step_3[1]}}', 20],
    ['{{step_3.length}}', 2],
    ['{{step_2.length}}', 10],
  ])('%s', (template, expected) => {
    expect(resolveTemplate(template, context)).toEqual(expected);
  });
});

describe('resolveTemplate: missing values', () => {
  it.each([
    ['{{trigger.body.missing}}', undefined],
    ['{{trigger.body.missing.deeper}}', undefined],
    ['{{trigger.body.nothing.deeper}}', undefined],
    ['{{step_1.items[5].name}}', undefined],
    ['{{step_9.anything}}', undefined],
    ['{{trigger.body.n.toFixed}}', undefined],
    ['{{step_2.toUpperCase}}', undefined],
    ['{{step_1.hasOwnProperty}}', undefined],
    ['{{toString}}', undefined],
    ['Hi {{trigger.body.missing}}!', 'Hi !'],
    ['Hi {{trigger.body.nothing}}!', 'Hi !'],
  ])('%s', (template, expected) => {
    expect(resolveTemplate(template, context)).toEqual(expected);
  });
});

describe('resolveTemplate: mixed text interpolates', () => {
  it.each([
    ['Hello {{trigger.body.x}}!', 'Hello hello!'],
    ['n={{trigger.body.n}}, flag={{trigger.body.flag}}', 'n=3, flag=false'],
    ['tags: {{trigger.body.tags}}', 'tags: ["a","b"]'],
    ['{{step_1.items[0]}} and more', '{"name":"first"} and more'],
    ['{{trigger.body.x}}{{trigger.body.x}}', 'hellohello'],
    [' {{trigger.body.n}}', ' 3'],
    ['no templates at all', 'no templates at all'],
    ['unclosed {{trigger.body.x', 'unclosed {{trigger.body.x'],
    ['{{ not a ref }} but {{trigger.body.x}}', '{{ not a ref }} but hello'],
  ])('%s', (template, expected) => {
    expect(resolveTemplate(template, context)).toBe(expected);
  });

  it('writes dates as ISO text', () => {
    const at = new Date('2025-01-02T03:04:05.000Z');
    expect(resolveTemplate('at {{step_1.at}}', { step_1: { at } })).toBe(
      'at 2025-01-02T03:04:05.000Z',
    );
  });
});

describe('resolveTemplate: objects and arrays', () => {
  it('resolves strings at any depth and keeps everything else', () => {
    const input = {
      to: '{{trigger.body.x}}',
      count: 5,
      list: ['{{step_3}}', 'x {{step_3[0]}}', true, null],
      nested: { name: '{{step_1.items[0].name}}', missing: '{{step_9}}' },
    };
    expect(resolveTemplate(input, context)).toEqual({
      to: 'hello',
      count: 5,
      list: [[10, 20], 'x 10', true, null],
      nested: { name: 'first', missing: undefined },
    });
  });

  it('does not change its input', () => {
    const input = { a: ['{{trigger.body.x}}'] };
    resolveTemplate(input, context);
    expect(input).toEqual({ a: ['{{trigger.body.x}}'] });
  });
});

describe('templates never reach prototypes', () => {
  it.each([
    '{{step_1.__proto__}}',
    '{{step_1.constructor}}',
    '{{step_1.constructor.prototype}}',
    "{{step_1['__proto__']}}",
    '{{step_1["constructor"]}}',
    '{{__proto__.polluted}}',
    '{{constructor}}',
    '{{trigger.body.prototype}}',
  ])('%s is refused and stays as written', (template) => {
    expect(resolveTemplate(template, context)).toBe(template);
    expect(parseReferences(template)).toEqual([]);
    expect(findMalformedTemplates(template)).toEqual([
      { expression: template, reason: expect.stringContaining('which templates may not read') },
    ]);
  });

  it('follows only own keys of the context', () => {
    expect(resolveTemplate('{{hasOwnProperty}}', {})).toBeUndefined();
    expect(resolveTemplate('{{valueOf}}', Object.create({ valueOf: 1 }))).toBeUndefined();
  });
});

describe('parseReferences', () => {
  it('names the steps an input reads, with paths, in order', () => {
    const input = {
      a: 'Hi {{trigger.body.name}} and {{step_2.items[0]["odd key"]}}',
      b: ['{{step_1}}'],
      auth: "{{connections['slack-main']}}",
      n: 3,
    };
    expect(parseReferences(input)).toEqual([
      { stepName: 'trigger', path: ['body', 'name'], expression: '{{trigger.body.name}}' },
      {
        stepName: 'step_2',
        path: ['items', 0, 'odd key'],
        expression: '{{step_2.items[0]["odd key"]}}',
      },
      { stepName: 'step_1', path: [], expression: '{{step_1}}' },
    ]);
  });
});

describe('findMalformedTemplates', () => {
  it.each([
    '{{}}',
    '{{ }}',
    '{{step_1.}}',
    '{{step_1..a}}',
    '{{1step}}',
    '{{step_1 + 1}}',
    '{{step_1[x]}}',
    "{{step_1['open]}}",
    '{{step_1[0}}',
    '{{step_1.a-b}}',
    '{{step_1.items[-1]}}',
  ])('%s is not a reference', (template) => {
    expect(findMalformedTemplates({ v: `a ${template} b` })).toEqual([
      { expression: template, reason: 'is not a reference: write {{step_name.field}}' },
    ]);
    expect(resolveTemplate(template, context)).toBe(template);
  });
});

describe('renameReferences', () => {
  it('renames the root of references to renamed steps, keeping the rest as written', () => {
    const renames = new Map([
      ['step_1', 'step_9'],
      ['step_2', 'step_10'],
    ]);
    const input = {
      a: "x {{ step_1['odd key'] }} y {{step_12.z}} {{step_2}}",
      b: ['{{step_1.items[0]}}', '{{ bad }}'],
    };
    expect(renameReferences(input, renames)).toEqual({
      a: "x {{ step_9['odd key'] }} y {{step_12.z}} {{step_10}}",
      b: ['{{step_9.items[0]}}', '{{ bad }}'],
    });
  });
});

describe('parseTemplate', () => {
  it('splits text, references and malformed parts', () => {
    expect(parseTemplate('a {{step_1.x}} b {{?}} c')).toMatchObject([
      { kind: 'text', text: 'a ' },
      { kind: 'reference', reference: { stepName: 'step_1', path: ['x'] } },
      { kind: 'text', text: ' b ' },
      { kind: 'malformed', expression: '{{?}}' },
      { kind: 'text', text: ' c' },
    ]);
  });
});

describe('bracket keys, for any key', () => {
  const refusedKeys = new Set(['__proto__', 'constructor', 'prototype']);
  const quote = (key: string) => `'${key.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`;

  it('read back the value stored under that key, or stay as written when refused', () => {
    fc.assert(
      fc.property(fc.string(), fc.jsonValue(), (key, value) => {
        const output: Record<string, unknown> = {};
        Object.defineProperty(output, key, { value, enumerable: true });
        const template = `{{step_1[${quote(key)}]}}`;
        const resolved = resolveTemplate(template, { step_1: output });
        expect(resolved).toEqual(refusedKeys.has(key) ? template : value);
        const renamed = renameReferences(template, new Map([['step_1', 'step_2']]));
        expect(renamed).toBe(refusedKeys.has(key) ? template : `{{step_2[${quote(key)}]}}`);
      }),
      { numRuns: 300 },
    );
  });
});

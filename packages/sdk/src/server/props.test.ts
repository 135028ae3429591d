import { describe, expect, expectTypeOf, it } from 'vitest';
import { describeProps, type PropsValue, prop, propsValidator } from './props.js';

const props = {
  title: prop.shortText({ displayName: 'Title', required: true }),
  notes: prop.longText({ displayName: 'Notes' }),
  count: prop.number({ displayName: 'Count', required: true, defaultValue: 1 }),
  urgent: prop.checkbox({ displayName: 'Urgent' }),
  dueOn: prop.dateTime({ displayName: 'Due on' }),
  colour: prop.color({ displayName: 'Colour' }),
  payload: prop.json({ displayName: 'Payload' }),
  attachment: prop.file({ displayName: 'Attachment' }),
  extra: prop.object({ displayName: 'Extra' }),
  help: prop.markdown({ text: 'Pick a **project** first.', variant: 'tip' }),
  widget: prop.custom({ displayName: 'Widget', code: '(el) => el' }),
  priority: prop.staticDropdown({
    displayName: 'Priority',
    required: true,
    options: {
      options: [
        { label: 'Low', value: 'low' },
        { label: 'High', value: 'high' },
      ],
    },
  }),
  labels: prop.staticMultiSelect({
    displayName: 'Labels',
    options: {
      options: [
        { label: 'Bug', value: 1 },
        { label: 'Idea', value: 2 },
      ],
    },
  }),
  project: prop.dropdown<string>({
    displayName: 'Project',
    required: true,
    refreshers: [],
    refreshOnSearch: true,
    options: async ({ searchValue }) => ({
      options: [{ label: `Match ${searchValue}`, value: 'p1' }],
    }),
  }),
  people: prop.multiSelect<number>({
    displayName: 'People',
    refreshers: ['project'],
    options: async () => ({ options: [], disabled: true, placeholder: 'Pick a project first' }),
  }),
  fields: prop.dynamicProperties({
    displayName: 'Fields',
    refreshers: ['project'],
    props: async () => ({ a: prop.shortText({ displayName: 'A' }) }),
  }),
  tags: prop.array({ displayName: 'Tags' }),
  steps: prop.array({
    displayName: 'Steps',
    items: {
      name: prop.shortText({ displayName: 'Name', required: true }),
      minutes: prop.number({ displayName: 'Minutes' }),
    },
  }),
};

describe('props: the values run() sees', () => {
  it('infers required values as present and optional ones as possibly undefined', () => {
    type Value = PropsValue<typeof props>;
    expectTypeOf<Value['title']>().toEqualTypeOf<string>();
    expectTypeOf<Value['notes']>().toEqualTypeOf<string | undefined>();
    expectTypeOf<Value['count']>().toEqualTypeOf<number>();
    expectTypeOf<Value['priority']>().toEqualTypeOf<'low' | 'high'>();
    expectTypeOf<Value['labels']>().toEqualTypeOf<(1 | 2)[] | undefined>();
    expectTypeOf<Value['project']>().toEqualTypeOf<string>();
    expectTypeOf<Value['people']>().toEqualTypeOf<number[] | undefined>();
    expectTypeOf<Value['tags']>().toEqualTypeOf<string[] | undefined>();
    expectTypeOf<Value['steps']>().toEqualTypeOf<
      { name: string; minutes: number | undefined }[] | undefined
    >();
    expectTypeOf<Value>().not.toHaveProperty('help'); // a note has no value
  });
});

describe('propsValidator', () => {
  const validate = propsValidator(props);
  const minimal = { title: 'Write docs', count: 2, priority: 'high', project: 'p1' };

  it('accepts a complete, valid set of values and converts numeric text', () => {
    const parsed = validate.parse({
      ...minimal,
      count: '3',
      dueOn: '2026-12-01T09:00:00Z',
      colour: '#1a2b3c',
      attachment: { filename: 'a.txt', base64: Buffer.from('hi').toString('base64') },
      labels: [1, 2],
      steps: [{ name: 'Draft', minutes: 30 }],
      tags: ['docs'],
      payload: { any: ['json'] },
    });
    expect(parsed.count).toBe(3);
    expect(parsed.steps).toEqual([{ name: 'Draft', minutes: 30 }]);
  });

  it.each([
    [{ ...minimal, title: undefined }, 'title'],
    [{ ...minimal, count: 'many' }, 'count'],
    [{ ...minimal, priority: 'urgent' }, 'priority'],
    [{ ...minimal, labels: [3] }, 'labels'],
    [{ ...minimal, colour: 'red' }, 'colour'],
    [{ ...minimal, dueOn: 'tomorrow' }, 'dueOn'],
    [{ ...minimal, steps: [{ minutes: 3 }] }, 'steps'],
    [{ ...minimal, project: undefined }, 'project'],
    [{ ...minimal, attachment: { filename: 'x', base64: '***' } }, 'attachment'],
  ])('refuses %o at %s', (values, field) => {
    const result = validate.safeParse(values);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path[0]).toBe(field);
  });
});

describe('describeProps', () => {
  it('marks secret text props, and only them', () => {
    const described = describeProps({
      key: prop.shortText({ displayName: 'Key', required: true, secret: true }),
      note: prop.longText({ displayName: 'Note', secret: true }),
      address: prop.shortText({ displayName: 'Address' }),
    });
    expect(described.key).toEqual({
      kind: 'short_text',
      displayName: 'Key',
      required: true,
      secret: true,
    });
    expect(described.note?.secret).toBe(true);
    expect(described.address).toEqual({
      kind: 'short_text',
      displayName: 'Address',
      required: false,
    });
  });

  it('describes every prop as JSON for the form, functions left out', () => {
    const description = describeProps(props);
    expect(JSON.parse(JSON.stringify(description))).toEqual(description);
    expect(description.priority).toEqual({
      kind: 'static_dropdown',
      displayName: 'Priority',
      required: true,
      options: {
        options: [
          { label: 'Low', value: 'low' },
          { label: 'High', value: 'high' },
        ],
      },
    });
    expect(description.project).toEqual({
      kind: 'dropdown',
      displayName: 'Project',
      required: true,
      refreshers: [],
      refreshOnSearch: true,
      dynamic: true,
    });
    expect(description.fields).toMatchObject({
      kind: 'dynamic_properties',
      refreshers: ['project'],
      dynamic: true,
    });
    expect(description.help).toEqual({
      kind: 'markdown',
      displayName: '',
      required: false,
      text: 'Pick a **project** first.',
      variant: 'tip',
    });
    expect(description.steps?.items).toEqual({
      name: { kind: 'short_text', displayName: 'Name', required: true },
      minutes: { kind: 'number', displayName: 'Minutes', required: false },
    });
    expect(description.count?.defaultValue).toBe(1);
    expect(Object.keys(description)).toHaveLength(Object.keys(props).length);
  });

  it('covers every Activepieces property type', () => {
    // Property.* of pieces-framework → the PMOS kind that carries it without loss.
    const activepieces: Record<string, string> = {
      ShortText: 'short_text',
      LongText: 'long_text',
      MarkDown: 'markdown',
      Number: 'number',
      Checkbox: 'checkbox',
      Json: 'json',
      Array: 'array',
      Object: 'object',
      Dropdown: 'dropdown',
      StaticDropdown: 'static_dropdown',
      MultiSelectDropdown: 'multi_select',
      StaticMultiSelectDropdown: 'static_multi_select',
      DynamicProperties: 'dynamic_properties',
      DateTime: 'date_time',
      File: 'file',
      Custom: 'custom',
      Color: 'color',
    };
    const kinds = new Set(Object.values(props).map((p) => p.kind));
    for (const kind of Object.values(activepieces)) expect(kinds).toContain(kind);
  });

  it('runs dynamic options with the search value', async () => {
    const state = await props.project.options({
      auth: undefined,
      props: {},
      searchValue: 'acme',
      http: fetch,
      signal: new AbortController().signal,
    });
    expect(state.options).toEqual([{ label: 'Match acme', value: 'p1' }]);
  });
});

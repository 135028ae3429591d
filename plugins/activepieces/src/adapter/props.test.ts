import type { DropdownProp, DynamicPropertiesProp, OptionsContext } from '@pmos/sdk/server';
import { describeProps, parseProps } from '@pmos/sdk/server';
import { loadOptions } from '@pmos/sdk/testing';
import { describe, expect, it } from 'vitest';
import { asInstalled, framework } from '../testing/synthetic-pieces.js';
import { pieceToConnector } from './connector.js';
import { mappedPropertyTypes } from './props.js';

const { createPiece, createAction, Property, PieceAuth } = framework;

/** One action with a prop of every input type the framework has. */
const everyProp = {
  short: Property.ShortText({
    displayName: 'Short',
    description: 'A line',
    required: true,
    defaultValue: 'x',
  }),
  long: Property.LongText({ displayName: 'Long', required: false }),
  note: Property.MarkDown({ value: '**Read me**', variant: 'WARNING' }),
  count: Property.Number({ displayName: 'Count', required: true }),
  flag: Property.Checkbox({ displayName: 'Flag', required: false, defaultValue: true }),
  when: Property.DateTime({ displayName: 'When', required: false }),
  data: Property.Json({ displayName: 'Data', required: false }),
  fields: Property.Object({ displayName: 'Fields', required: false }),
  tags: Property.Array({ displayName: 'Tags', required: false }),
  rows: Property.Array({
    displayName: 'Rows',
    required: false,
    properties: {
      name: Property.ShortText({ displayName: 'Name', required: true }),
      size: Property.StaticDropdown({
        displayName: 'Size',
        required: false,
        options: {
          options: [
            { label: 'Small', value: 's' },
            { label: 'Large', value: 'l' },
          ],
        },
      }),
    },
  }),
  attachment: Property.File({ displayName: 'Attachment', required: false }),
  colour: Property.Color({ displayName: 'Colour', required: false }),
  widget: Property.Custom({ displayName: 'Widget', required: false, code: '(p) => p' }),
  unit: Property.StaticDropdown({
    displayName: 'Unit',
    required: true,
    options: {
      placeholder: 'Pick',
      options: [
        { label: 'Seconds', value: 'seconds' },
        { label: 'Minutes', value: 'minutes' },
      ],
    },
  }),
  days: Property.StaticMultiSelectDropdown({
    displayName: 'Days',
    required: false,
    options: {
      options: [
        { label: 'Monday', value: 1 },
        { label: 'Tuesday', value: 2 },
      ],
    },
  }),
  project: Property.Dropdown({
    displayName: 'Project',
    required: false,
    refreshers: ['count'],
    refreshOnSearch: true,
    options: async (values: Record<string, unknown>, ctx: { searchValue?: string }) => ({
      options: [
        {
          label: `p${values.count} for ${JSON.stringify(values.auth)} / ${ctx.searchValue ?? ''}`,
          value: 'p1',
        },
      ],
    }),
  }),
  labels: Property.MultiSelectDropdown({
    displayName: 'Labels',
    required: false,
    refreshers: ['project'],
    options: async (values: Record<string, unknown>) => ({
      disabled: values.project === undefined,
      placeholder: 'Choose a project first',
      options: values.project ? [{ label: 'urgent', value: 'urgent' }] : [],
    }),
  }),
  extra: Property.DynamicProperties({
    displayName: 'Extra',
    required: false,
    refreshers: ['project'],
    props: async (values: Record<string, unknown>) => ({
      [`field_of_${values.project}`]: Property.ShortText({
        displayName: 'Dynamic field',
        required: true,
      }),
    }),
  }),
};

const piece = createPiece({
  displayName: 'Synthetic',
  logoUrl: 'https://example.org/logo.png',
  authors: [],
  auth: PieceAuth.SecretText({ displayName: 'API key', required: true }),
  actions: [
    createAction({
      name: 'echoAll',
      displayName: 'Echo all',
      description: 'Returns what it was given',
      props: everyProp,
      run: async (ctx: { propsValue: unknown; auth: unknown }) => ({
        props: ctx.propsValue,
        auth: ctx.auth,
      }),
    }),
  ],
  triggers: [],
});

describe('every Property type as an SDK prop', () => {
  const { connector } = pieceToConnector(asInstalled(piece), { hosts: [] });
  const action = connector.actions[0];
  if (!action) throw new Error('no action');

  it('covers each input type of the installed framework', () => {
    const types = new Set(Object.values(everyProp).map((p) => (p as { type: string }).type));
    for (const type of types) expect(mappedPropertyTypes).toContain(type);
    // Every type the framework knows but auth-only ones (and SECRET_TEXT, an auth field).
    const known = Object.values(framework.PropertyType as Record<string, string>).filter(
      (t) => !['OAUTH2', 'BASIC_AUTH', 'CUSTOM_AUTH', 'OIDC', 'SECRET_TEXT'].includes(t),
    );
    expect([...types].sort()).toEqual([...known].sort());
  });

  it('keeps names, requiredness, defaults, options and item fields', () => {
    expect(action.id).toBe('echo_all');
    expect(describeProps(action.props)).toEqual({
      short: {
        kind: 'short_text',
        displayName: 'Short',
        description: 'A line',
        required: true,
        defaultValue: 'x',
      },
      long: { kind: 'long_text', displayName: 'Long', required: false },
      note: {
        kind: 'markdown',
        displayName: 'Markdown',
        required: false,
        text: '**Read me**',
        variant: 'warning',
      },
      count: { kind: 'number', displayName: 'Count', required: true },
      flag: { kind: 'checkbox', displayName: 'Flag', required: false, defaultValue: true },
      when: { kind: 'date_time', displayName: 'When', required: false },
      data: { kind: 'json', displayName: 'Data', required: false },
      fields: { kind: 'object', displayName: 'Fields', required: false },
      tags: { kind: 'array', displayName: 'Tags', required: false },
      rows: {
        kind: 'array',
        displayName: 'Rows',
        required: false,
        items: {
          name: { kind: 'short_text', displayName: 'Name', required: true },
          size: {
            kind: 'static_dropdown',
            displayName: 'Size',
            required: false,
            options: {
              options: [
                { label: 'Small', value: 's' },
                { label: 'Large', value: 'l' },
              ],
            },
          },
        },
      },
      attachment: { kind: 'file', displayName: 'Attachment', required: false },
      colour: { kind: 'color', displayName: 'Colour', required: false },
      widget: { kind: 'custom', displayName: 'Widget', required: false, code: '(p) => p' },
      unit: {
        kind: 'static_dropdown',
        displayName: 'Unit',
        required: true,
        options: {
          placeholder: 'Pick',
          options: [
            { label: 'Seconds', value: 'seconds' },
            { label: 'Minutes', value: 'minutes' },
          ],
        },
      },
      days: {
        kind: 'static_multi_select',
        displayName: 'Days',
        required: false,
        options: {
          options: [
            { label: 'Monday', value: 1 },
            { label: 'Tuesday', value: 2 },
          ],
        },
      },
      project: {
        kind: 'dropdown',
        displayName: 'Project',
        required: false,
        refreshers: ['count'],
        refreshOnSearch: true,
        dynamic: true,
      },
      labels: {
        kind: 'multi_select',
        displayName: 'Labels',
        required: false,
        refreshers: ['project'],
        refreshOnSearch: false,
        dynamic: true,
      },
      extra: {
        kind: 'dynamic_properties',
        displayName: 'Extra',
        required: false,
        refreshers: ['project'],
        dynamic: true,
      },
    });
  });

  it('validates inputs like PMOS does before a run: required, numbers from text, options', () => {
    expect(() => parseProps(action.props, { unit: 'seconds' })).toThrow(/count/);
    expect(parseProps(action.props, { count: '3', unit: 'minutes' })).toMatchObject({
      count: 3,
      short: 'x',
      flag: true,
    });
    expect(() => parseProps(action.props, { count: 1, unit: 'hours' })).toThrow(/Seconds, Minutes/);
  });

  it('calls a dropdown’s options with the refreshers’ values, the piece’s auth and the search', async () => {
    const found = await loadOptions({ props: action.props }, 'project', {
      auth: 'key-1',
      props: { count: 7 },
      searchValue: 'lau',
    });
    // Context V2 (framework 0.32): the auth is Activepieces' connection value.
    expect(found).toMatchObject({
      kind: 'options',
      state: {
        options: [
          { label: 'p7 for {"type":"SECRET_TEXT","secret_text":"key-1"} / lau', value: 'p1' },
        ],
      },
    });
    const labels = await loadOptions({ props: action.props }, 'labels', {
      auth: 'key-1',
      props: {},
    });
    expect(labels).toMatchObject({
      state: { disabled: true, placeholder: 'Choose a project first', options: [] },
    });
  });

  it('turns dynamic properties into SDK props, computed from the other props', async () => {
    const extra = action.props.extra as DynamicPropertiesProp;
    const ctx = {
      auth: 'k',
      props: { project: 'p1' },
      http: fetch,
      signal: new AbortController().signal,
    } as OptionsContext;
    expect(describeProps(await extra.props(ctx))).toEqual({
      field_of_p1: { kind: 'short_text', displayName: 'Dynamic field', required: true },
    });
    expect((action.props.project as DropdownProp<unknown>).refreshers).toEqual(['count']);
  });

  it('hands the piece processed values: JSON text parsed, dates as ISO, files as ApFile', async () => {
    const props = parseProps(action.props, {
      count: 2,
      unit: 'seconds',
      when: '2026-03-01',
      data: '{"a":[1,2]}',
      attachment: { filename: 'note.txt', mimeType: 'text/plain', base64: btoa('hello') },
      rows: [{ name: 'a', size: 's' }],
    });
    const output = (await action.run({
      auth: 'key-1',
      props,
      http: fetch,
      store: { get: async () => undefined, put: async () => {}, delete: async () => {} },
      logger: { debug() {}, info() {}, warn() {}, error() {} },
      workspace: { id: 'ws', name: 'W' },
      signal: new AbortController().signal,
      run: { id: 'run-1', flowId: 'flow-1', stepName: 'step_1', respond() {} },
    } as never)) as { props: Record<string, unknown> };
    expect(output.props).toMatchObject({
      when: '2026-03-01T00:00:00.000Z',
      data: { a: [1, 2] },
      rows: [{ name: 'a', size: 's' }],
      attachment: { filename: 'note.txt', extension: 'txt', base64: btoa('hello') },
    });
    expect(Buffer.isBuffer((output.props.attachment as { data: unknown }).data)).toBe(true);
  });
});

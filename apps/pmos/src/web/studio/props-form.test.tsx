import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { act, type ReactNode } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { OptionsResult } from '../api-types.js';
import { ApiError } from '../lib/api.js';
import { mount } from '../testing/mount.js';
import type { PropsDescription } from './catalog.js';
import { dependentsOf, type OptionsSource } from './options-source.js';
import { PropsForm, type PropsFormProps } from './props-form.js';
import { commitDelayMs } from './template-field.js';

// The props renderer in jsdom, with React's own act() (no testing library in this package).

/** What the last render() put on the page, which the helpers and tests below read. */
let host: HTMLElement;
// One test runs on fake timers; the next starts on real ones.
afterEach(() => {
  vi.useRealTimers();
});

function render(ui: ReactNode) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  const wrap = (node: ReactNode) => (
    <QueryClientProvider client={client}>{node}</QueryClientProvider>
  );
  const view = mount(wrap(ui));
  host = view.host;
  return { rerender: (next: ReactNode) => view.rerender(wrap(next)) };
}

function form(overrides: Partial<PropsFormProps> & { props: PropsDescription }) {
  const onChange = vi.fn();
  const props: PropsFormProps = {
    values: {},
    onChange,
    problems: new Map(),
    source: null,
    readOnly: false,
    ...overrides,
  };
  return { props, onChange };
}

/** The control a label points at. */
function control(label: string): HTMLElement {
  const found = [...host.querySelectorAll('label')].find(
    (l) => l.textContent?.replace('*', '').trim() === label,
  );
  const id = found?.getAttribute('for');
  const element = id ? document.getElementById(id) : null;
  if (!element) throw new Error(`no control labelled ${label}`);
  return element;
}

function type(element: HTMLElement, text: string) {
  const proto = element instanceof HTMLTextAreaElement ? HTMLTextAreaElement : HTMLInputElement;
  const setter = Object.getOwnPropertyDescriptor(proto.prototype, 'value')?.set;
  act(() => {
    element.focus();
    setter?.call(element, text);
    element.dispatchEvent(new Event('input', { bubbles: true }));
  });
}

const blur = (element: HTMLElement) => act(() => element.blur());
const click = (element: Element) =>
  act(() => element.dispatchEvent(new MouseEvent('click', { bubbles: true })));
const options = () => [...host.querySelectorAll('[role="option"]')];
const option = (label: string) => {
  const found = options().find((o) => o.textContent?.includes(label));
  if (!found) throw new Error(`no option ${label}`);
  return found;
};
/** Lets queries settle (react-query notifies on a timer). */
const flush = () =>
  act(async () => {
    await new Promise((resolve) => setTimeout(resolve, 20));
  });

const everyKind: PropsDescription = {
  note: { kind: 'markdown', displayName: '', required: false, text: 'Read **this** first.' },
  title: { kind: 'short_text', displayName: 'Title', required: true },
  notes: { kind: 'long_text', displayName: 'Notes', required: false },
  count: { kind: 'number', displayName: 'Count', required: false },
  urgent: { kind: 'checkbox', displayName: 'Urgent', required: false },
  due: { kind: 'date_time', displayName: 'Due', required: false },
  payload: { kind: 'json', displayName: 'Payload', required: false },
  headers: { kind: 'object', displayName: 'Headers', required: false },
  tags: { kind: 'array', displayName: 'Tags', required: false },
  lines: {
    kind: 'array',
    displayName: 'Lines',
    required: false,
    items: { sku: { kind: 'short_text', displayName: 'SKU', required: true } },
  },
  method: {
    kind: 'static_dropdown',
    displayName: 'Method',
    required: true,
    options: {
      options: [
        { label: 'GET', value: 'GET' },
        { label: 'POST', value: 'POST' },
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
  list: { kind: 'dropdown', displayName: 'List', required: false, refreshers: [], dynamic: true },
  labels: {
    kind: 'multi_select',
    displayName: 'Labels',
    required: false,
    refreshers: [],
    dynamic: true,
  },
  extra: {
    kind: 'dynamic_properties',
    displayName: 'Extra fields',
    required: false,
    refreshers: [],
    dynamic: true,
  },
  attachment: { kind: 'file', displayName: 'Attachment', required: false },
  colour: { kind: 'color', displayName: 'Colour', required: false },
  widget: { kind: 'custom', displayName: 'Widget', required: false },
};

describe('PropsForm', () => {
  it('renders every kind of prop with its label, and marks the required ones', async () => {
    const source: OptionsSource = {
      key: ['all'],
      load: async (prop) =>
        prop === 'extra'
          ? {
              kind: 'props',
              props: { region: { kind: 'short_text', displayName: 'Region', required: false } },
            }
          : { kind: 'options', options: [{ label: 'Inbox', value: 'inbox' }] },
    };
    const { props } = form({ props: everyKind, source });
    render(<PropsForm {...props} />);
    await flush();
    for (const label of [
      'Title',
      'Notes',
      'Count',
      'Due',
      'Payload',
      'Method',
      'List',
      'Labels',
      'Attachment',
      'Colour',
      'Widget',
      'Region',
    ]) {
      expect(control(label)).toBeTruthy();
    }
    expect(host.textContent).toContain('Urgent');
    expect(host.querySelector('strong')?.textContent).toBe('this');
    expect(host.textContent).toContain('Add an entry to Headers');
    expect(host.textContent).toContain('Add an item to Tags');
    expect(host.textContent).toContain('Add to Lines');
    expect(control('Title').getAttribute('aria-required')).toBe('true');
    expect(control('Notes').tagName).toBe('TEXTAREA');
    expect((control('Attachment') as HTMLInputElement).type).toBe('file');
  });

  it('saves typed text after a pause or on leaving the field, references included', () => {
    vi.useFakeTimers();
    const { props, onChange } = form({
      props: { title: { kind: 'short_text', displayName: 'Title', required: true } },
    });
    render(<PropsForm {...props} />);
    type(control('Title'), 'Hello {{trigger.body.name}}');
    expect(onChange).not.toHaveBeenCalled();
    act(() => vi.advanceTimersByTime(commitDelayMs));
    expect(onChange).toHaveBeenCalledWith('title', 'Hello {{trigger.body.name}}');
    type(control('Title'), '');
    blur(control('Title'));
    expect(onChange).toHaveBeenLastCalledWith('title', undefined);
  });

  it('checks numbers and JSON as typed, in plain words, and saves only what fits', () => {
    const { props, onChange } = form({
      props: {
        count: { kind: 'number', displayName: 'Count', required: false },
        payload: { kind: 'json', displayName: 'Payload', required: false },
      },
    });
    render(<PropsForm {...props} />);
    type(control('Count'), 'twelve');
    blur(control('Count'));
    expect(host.textContent).toContain('Enter a number, such as 42 or 2.5, or insert data.');
    expect(onChange).not.toHaveBeenCalled();
    type(control('Count'), '42');
    blur(control('Count'));
    expect(onChange).toHaveBeenLastCalledWith('count', 42);
    type(control('Count'), '{{step_1.total}}');
    blur(control('Count'));
    expect(onChange).toHaveBeenLastCalledWith('count', '{{step_1.total}}');

    type(control('Payload'), '{"a": ');
    blur(control('Payload'));
    expect(host.textContent).toContain('This is not valid JSON');
    type(control('Payload'), '{"a": "{{trigger.body}}"}');
    blur(control('Payload'));
    expect(onChange).toHaveBeenLastCalledWith('payload', { a: '{{trigger.body}}' });
    expect(host.textContent).not.toContain('This is not valid JSON');
  });

  it('chooses from a static dropdown, searching its options', () => {
    const { props, onChange } = form({ props: { method: everyKind.method as never } });
    render(<PropsForm {...props} />);
    click(control('Method'));
    expect(options().map((o) => o.textContent)).toEqual(['GET', 'POST']);
    type(host.querySelector('[role="combobox"]') as HTMLElement, 'po');
    expect(options().map((o) => o.textContent)).toEqual(['POST']);
    click(option('POST'));
    expect(onChange).toHaveBeenCalledWith('method', 'POST');
    expect(host.querySelector('[role="listbox"]')).toBeNull();
  });

  it('asks the plugin for a dynamic dropdown’s options again when a refresher changes', async () => {
    const load = vi.fn(
      async (
        _prop: string,
        values: Record<string, unknown>,
        _search?: string,
        _signal?: AbortSignal,
      ): Promise<OptionsResult> => ({
        kind: 'options',
        options: [{ label: `List of ${String(values.board)}`, value: `${String(values.board)}-1` }],
      }),
    );
    const props: PropsDescription = {
      board: everyKind.method as never,
      list: {
        kind: 'dropdown',
        displayName: 'List',
        required: true,
        refreshers: ['board'],
        dynamic: true,
      },
    };
    const source: OptionsSource = {
      key: ['step'],
      load: (p, v, s, signal) => load(p, v, s, signal),
    };
    const { props: formProps, onChange } = form({ props, source, values: { board: 'GET' } });
    const view = render(<PropsForm {...formProps} />);
    await flush();
    expect(load).toHaveBeenCalledTimes(1);
    expect(load.mock.calls[0]?.[0]).toBe('list');
    click(control('List'));
    expect(option('List of GET')).toBeTruthy();
    click(option('List of GET'));
    expect(onChange).toHaveBeenCalledWith('list', 'GET-1');

    view.rerender(<PropsForm {...formProps} values={{ board: 'POST' }} />);
    await flush();
    expect(load).toHaveBeenCalledTimes(2);
    expect(load.mock.calls[1]?.[1]).toEqual({ board: 'POST' });
    click(control('List'));
    expect(option('List of POST')).toBeTruthy();
    // What depends on the board is cleared when the board changes.
    expect(dependentsOf(props, 'board')).toEqual(['list']);
  });

  it('says when options are loading, failed, or cannot be asked for yet', async () => {
    let fail = true;
    let release: () => void = () => {};
    const source: OptionsSource = {
      key: ['states'],
      load: () =>
        new Promise((resolve, reject) => {
          release = () =>
            fail
              ? reject(
                  new ApiError({
                    status: 502,
                    code: 'plugin_failed',
                    message: 'The service did not answer.',
                  }),
                )
              : resolve({ kind: 'options', options: [{ label: 'Ready', value: 1 }] });
        }),
    };
    const props = { list: everyKind.list as never };
    const { props: formProps } = form({ props, source });
    const view = render(<PropsForm {...formProps} />);
    await flush();
    expect(control('List').textContent).toContain('Loading options…');
    await act(async () => release());
    await flush();
    click(control('List'));
    expect(host.querySelector('[role="alert"]')?.textContent).toContain(
      'The service did not answer.',
    );
    fail = false;
    const retry = [...host.querySelectorAll('button')].find((b) => b.textContent === 'Try again');
    click(retry as HTMLElement);
    await flush();
    await act(async () => release());
    await flush();
    expect(option('Ready')).toBeTruthy();

    view.rerender(
      <PropsForm
        {...formProps}
        source={{ ...source, key: ['blocked'], blocked: 'Choose a connection first.' }}
      />,
    );
    expect(control('List').textContent).toContain('Choose a connection first.');
    expect((control('List') as HTMLButtonElement).disabled).toBe(true);
  });

  it('shows validation problems once a field was left, or all of them when asked', () => {
    const problems = new Map([['title', '“Title” is required.']]);
    const { props } = form({
      props: { title: { kind: 'short_text', displayName: 'Title', required: true } },
      problems,
    });
    const view = render(<PropsForm {...props} />);
    expect(host.textContent).not.toContain('is required');
    act(() => control('Title').focus());
    blur(control('Title'));
    expect(host.querySelector('[role="alert"]')?.textContent).toContain('“Title” is required.');
    expect(control('Title').getAttribute('aria-invalid')).toBe('true');
    view.rerender(<PropsForm {...props} problems={new Map()} />);
    expect(host.textContent).not.toContain('is required');
  });

  it('shows a read-only form as values, with no field to edit', () => {
    const { props } = form({
      props: {
        title: { kind: 'short_text', displayName: 'Title', required: true },
        method: everyKind.method as never,
      },
      values: { title: 'Hello' },
      readOnly: true,
    });
    render(<PropsForm {...props} />);
    expect(host.querySelectorAll('input, textarea, button')).toHaveLength(0);
    expect(host.textContent).toContain('Hello');
    expect(host.textContent).toContain('Not set');
  });
});

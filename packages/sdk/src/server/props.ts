import { z } from 'zod';
import { InvalidPropsError } from './errors.js';

/**
 * The props DSL: every input an action, trigger or auth asks for. Dropdown-first, and able
 * to carry every Activepieces Property type without loss. A props record yields both the
 * runtime validator (`propsValidator`) and the JSON the web UI renders (`describeProps`).
 */

export interface DropdownOption<V> {
  label: string;
  value: V;
}

export interface DropdownState<V> {
  options: DropdownOption<V>[];
  disabled?: boolean;
  placeholder?: string;
}

/** What a dynamic dropdown's `options` (or dynamic properties' `props`) receives. */
export interface OptionsContext<Auth = unknown> {
  auth: Auth;
  /** Current values of the other props (those named in `refreshers` drive a refresh). */
  props: Record<string, unknown>;
  /** What the person typed into the dropdown's search box, with `refreshOnSearch`. */
  searchValue?: string;
  /** fetch, bound to the hosts the plugin declared. */
  http: typeof fetch;
  signal: AbortSignal;
}

export interface PmosFile {
  filename: string;
  mimeType?: string;
  /** File contents, base64-encoded. */
  base64: string;
}

export interface PropCommon<Kind extends string, Value, Required extends boolean> {
  kind: Kind;
  displayName: string;
  description?: string;
  required: Required;
  defaultValue?: Value;
  /** Type-level only: the value this prop yields. */
  readonly __value?: Value;
}

/** `secret`: a credential (in a custom auth): masked when typed, scrubbed from messages. */
export type ShortTextProp<R extends boolean = boolean> = PropCommon<'short_text', string, R> & {
  secret?: boolean;
};
export type LongTextProp<R extends boolean = boolean> = PropCommon<'long_text', string, R> & {
  secret?: boolean;
};
export type NumberProp<R extends boolean = boolean> = PropCommon<'number', number, R>;
export type CheckboxProp<R extends boolean = boolean> = PropCommon<'checkbox', boolean, R>;
export type DateTimeProp<R extends boolean = boolean> = PropCommon<'date_time', string, R>;
export type JsonProp<R extends boolean = boolean> = PropCommon<'json', unknown, R>;
export type ColorProp<R extends boolean = boolean> = PropCommon<'color', string, R>;
export type FileProp<R extends boolean = boolean> = PropCommon<'file', PmosFile, R>;
export type ObjectProp<R extends boolean = boolean> = PropCommon<
  'object',
  Record<string, unknown>,
  R
>;
export interface MarkdownProp extends PropCommon<'markdown', never, false> {
  /** The note shown in the form (markdown); it has no value. */
  text: string;
  variant?: 'info' | 'warning' | 'tip';
}
export interface CustomProp<R extends boolean = boolean> extends PropCommon<'custom', unknown, R> {
  /** Activepieces `Property.Custom`: a renderer's source, kept verbatim. */
  code: string;
}
export interface StaticDropdownProp<V, R extends boolean = boolean>
  extends PropCommon<'static_dropdown', V, R> {
  options: DropdownState<V>;
}
export interface StaticMultiSelectProp<V, R extends boolean = boolean>
  extends PropCommon<'static_multi_select', V[], R> {
  options: DropdownState<V>;
}
export interface DropdownProp<V, R extends boolean = boolean> extends PropCommon<'dropdown', V, R> {
  refreshers: string[];
  refreshOnSearch?: boolean;
  options: (ctx: OptionsContext) => Promise<DropdownState<V>>;
}
export interface MultiSelectProp<V, R extends boolean = boolean>
  extends PropCommon<'multi_select', V[], R> {
  refreshers: string[];
  refreshOnSearch?: boolean;
  options: (ctx: OptionsContext) => Promise<DropdownState<V>>;
}
export interface DynamicPropertiesProp<R extends boolean = boolean>
  extends PropCommon<'dynamic_properties', Record<string, unknown>, R> {
  refreshers: string[];
  props: (ctx: OptionsContext) => Promise<Props>;
}
export interface ArrayProp<Item, R extends boolean = boolean>
  extends PropCommon<'array', Item[], R> {
  /** The fields of each item; without them, items are plain text. */
  items?: Props;
}

export type AnyProp =
  | ShortTextProp
  | LongTextProp
  | NumberProp
  | CheckboxProp
  | DateTimeProp
  | JsonProp
  | ColorProp
  | FileProp
  | ObjectProp
  | MarkdownProp
  | CustomProp
  | StaticDropdownProp<unknown>
  | StaticMultiSelectProp<unknown>
  | DropdownProp<unknown>
  | MultiSelectProp<unknown>
  | DynamicPropertiesProp
  | ArrayProp<unknown>;

export type Props = Record<string, AnyProp>;

/** The value a prop yields in `ctx.props`: optional unless the prop is required. */
export type PropValue<P> = P extends { kind: 'markdown' }
  ? never
  : P extends PropCommon<string, infer V, infer R>
    ? R extends true
      ? V
      : V | undefined
    : never;

type ValueKeys<P extends Props> = {
  [K in keyof P]: P[K] extends { kind: 'markdown' } ? never : K;
}[keyof P];

export type PropsValue<P extends Props> = { [K in ValueKeys<P>]: PropValue<P[K]> };

interface Options<V> {
  displayName: string;
  description?: string;
  defaultValue?: V;
}
type Required = { required: true };
type Optional = { required?: false };

/**
 * A builder whose `required: true` makes the value non-optional in `run`. Overloads rather
 * than a generic flag: inside a props object literal the contextual type would otherwise
 * widen `true` to `boolean`.
 */
interface Builder<K extends string, V, Extra = unknown> {
  (o: Options<V> & Extra & Required): PropCommon<K, V, true> & Extra;
  (o: Options<V> & Extra & Optional): PropCommon<K, V, false> & Extra;
}

function builder<K extends string, V, Extra = unknown>(
  kind: K,
  extra: (o: Options<V> & Extra) => Extra = () => ({}) as Extra,
): Builder<K, V, Extra> {
  return ((o: Options<V> & Extra & { required?: boolean }) => ({
    kind,
    displayName: o.displayName,
    description: o.description,
    required: o.required ?? false,
    defaultValue: o.defaultValue,
    ...extra(o),
  })) as Builder<K, V, Extra>;
}

type DynamicOptions<V> = {
  refreshers: string[];
  refreshOnSearch?: boolean;
  options: (ctx: OptionsContext) => Promise<DropdownState<V>>;
};
const dynamicExtra = <V>(o: DynamicOptions<V>): DynamicOptions<V> => ({
  refreshers: o.refreshers,
  refreshOnSearch: o.refreshOnSearch,
  options: o.options,
});

function staticDropdown<const V>(
  o: Options<V> & { options: DropdownState<V> } & Required,
): StaticDropdownProp<V, true>;
function staticDropdown<const V>(
  o: Options<V> & { options: DropdownState<V> } & Optional,
): StaticDropdownProp<V, false>;
function staticDropdown<V>(
  o: Options<V> & { options: DropdownState<V>; required?: boolean },
): StaticDropdownProp<V, boolean> {
  return { ...base('static_dropdown', o), options: o.options };
}

function staticMultiSelect<const V>(
  o: Options<V[]> & { options: DropdownState<V> } & Required,
): StaticMultiSelectProp<V, true>;
function staticMultiSelect<const V>(
  o: Options<V[]> & { options: DropdownState<V> } & Optional,
): StaticMultiSelectProp<V, false>;
function staticMultiSelect<V>(
  o: Options<V[]> & { options: DropdownState<V>; required?: boolean },
): StaticMultiSelectProp<V, boolean> {
  return { ...base('static_multi_select', o), options: o.options };
}

function dropdown<V>(o: Options<V> & DynamicOptions<V> & Required): DropdownProp<V, true>;
function dropdown<V>(o: Options<V> & DynamicOptions<V> & Optional): DropdownProp<V, false>;
function dropdown<V>(
  o: Options<V> & DynamicOptions<V> & { required?: boolean },
): DropdownProp<V, boolean> {
  return { ...base('dropdown', o), ...dynamicExtra(o) };
}

function multiSelect<V>(o: Options<V[]> & DynamicOptions<V> & Required): MultiSelectProp<V, true>;
function multiSelect<V>(o: Options<V[]> & DynamicOptions<V> & Optional): MultiSelectProp<V, false>;
function multiSelect<V>(
  o: Options<V[]> & DynamicOptions<V> & { required?: boolean },
): MultiSelectProp<V, boolean> {
  return { ...base('multi_select', o), ...dynamicExtra(o) };
}

type ItemValue<Items> = Items extends Props ? PropsValue<Items> : string;

function array<const Items extends Props | undefined = undefined>(
  o: Options<ItemValue<Items>[]> & { items?: Items } & Required,
): ArrayProp<ItemValue<Items>, true>;
function array<const Items extends Props | undefined = undefined>(
  o: Options<ItemValue<Items>[]> & { items?: Items } & Optional,
): ArrayProp<ItemValue<Items>, false>;
function array(
  o: Options<unknown[]> & { items?: Props; required?: boolean },
): ArrayProp<unknown, boolean> {
  return { ...base('array', o), items: o.items };
}

function base<K extends string, V>(kind: K, o: Options<V> & { required?: boolean }) {
  return {
    kind,
    displayName: o.displayName,
    description: o.description,
    required: o.required ?? false,
    defaultValue: o.defaultValue,
  };
}

/** Builders for every kind of prop. `required: true` makes the value non-optional in `run`. */
export const prop = {
  /**
   * `secret: true` (in a custom auth's props): typed into a masked field, and the only values
   * of the connection PMOS scrubs from messages — the others (an address, an account name)
   * may then appear in them.
   */
  shortText: builder<'short_text', string, { secret?: boolean }>('short_text', (o) =>
    o.secret ? { secret: true } : {},
  ),
  longText: builder<'long_text', string, { secret?: boolean }>('long_text', (o) =>
    o.secret ? { secret: true } : {},
  ),
  number: builder<'number', number>('number'),
  checkbox: builder<'checkbox', boolean>('checkbox'),
  dateTime: builder<'date_time', string>('date_time'),
  json: builder<'json', unknown>('json'),
  color: builder<'color', string>('color'),
  file: builder<'file', PmosFile>('file'),
  object: builder<'object', Record<string, unknown>>('object'),
  custom: builder<'custom', unknown, { code: string }>('custom', (o) => ({ code: o.code })),
  dynamicProperties: builder<
    'dynamic_properties',
    Record<string, unknown>,
    { refreshers: string[]; props: (ctx: OptionsContext) => Promise<Props> }
  >('dynamic_properties', (o) => ({ refreshers: o.refreshers, props: o.props })),
  markdown: (o: {
    text: string;
    variant?: 'info' | 'warning' | 'tip';
    displayName?: string;
  }): MarkdownProp => ({
    kind: 'markdown',
    displayName: o.displayName ?? '',
    required: false,
    text: o.text,
    variant: o.variant,
  }),
  staticDropdown,
  staticMultiSelect,
  dropdown,
  multiSelect,
  array,
};

/** A JSON description of props, for forms: everything but the functions. */
export type PropDescription = Record<string, unknown> & {
  kind: string;
  displayName: string;
  required: boolean;
};

export function describeProps(props: Props): Record<string, PropDescription> {
  return Object.fromEntries(Object.entries(props).map(([name, p]) => [name, describeProp(p)]));
}

function describeProp(p: AnyProp): PropDescription {
  const base: PropDescription = { kind: p.kind, displayName: p.displayName, required: p.required };
  if (p.description !== undefined) base.description = p.description;
  if (p.defaultValue !== undefined) base.defaultValue = p.defaultValue;
  switch (p.kind) {
    case 'markdown':
      return { ...base, text: p.text, ...(p.variant ? { variant: p.variant } : {}) };
    case 'custom':
      return { ...base, code: p.code };
    case 'static_dropdown':
    case 'static_multi_select':
      return { ...base, options: p.options };
    case 'dropdown':
    case 'multi_select':
      return {
        ...base,
        refreshers: p.refreshers,
        refreshOnSearch: p.refreshOnSearch ?? false,
        dynamic: true,
      };
    case 'dynamic_properties':
      return { ...base, refreshers: p.refreshers, dynamic: true };
    case 'array':
      return p.items ? { ...base, items: describeProps(p.items) } : base;
    case 'short_text':
    case 'long_text':
      return p.secret ? { ...base, secret: true } : base;
    default:
      return base;
  }
}

const fileSchema = z.object({
  filename: z.string().min(1),
  mimeType: z.string().optional(),
  base64: z.base64(),
});

function valueSchema(p: AnyProp): z.ZodType {
  switch (p.kind) {
    case 'short_text':
    case 'long_text':
      return z.string();
    case 'number':
      // Values arrive from templates as text too: "42" is a number.
      return z
        .union([
          z.number(),
          z
            .string()
            .regex(/^-?\d+(\.\d+)?$/)
            .transform(Number),
        ])
        .pipe(z.number());
    case 'checkbox':
      return z.boolean();
    case 'date_time':
      return z.iso.datetime({ offset: true }).or(z.iso.date());
    case 'color':
      return z
        .string()
        .regex(/^#[0-9a-fA-F]{6}([0-9a-fA-F]{2})?$/, { error: 'expected a colour like #1a2b3c' });
    case 'file':
      return fileSchema;
    case 'object':
    case 'dynamic_properties':
      return z.record(z.string(), z.unknown());
    case 'json':
    case 'custom':
    case 'dropdown':
      return z.unknown().refine((v) => v !== undefined, { error: 'expected a value' });
    case 'multi_select':
      return z.array(z.unknown());
    case 'static_dropdown': {
      const allowed = p.options.options.map((o) => o.value);
      return z.unknown().refine((v) => allowed.some((a) => Object.is(a, v)), {
        error: `expected one of: ${p.options.options.map((o) => o.label).join(', ')}`,
      });
    }
    case 'static_multi_select': {
      const allowed = p.options.options.map((o) => o.value);
      return z.array(
        z
          .unknown()
          .refine((v) => allowed.some((a) => Object.is(a, v)), { error: 'not one of the options' }),
      );
    }
    case 'array':
      return z.array(p.items ? propsValidator(p.items) : z.string());
    case 'markdown':
      return z.never();
  }
}

// Props records are defined once per action: their validators are built once too (a flow
// engine validates the same props thousands of times a second).
const validators = new WeakMap<Props, z.ZodObject>();

/** The runtime validator of a props record: required props must be present, all must fit. */
export function propsValidator(props: Props): z.ZodObject {
  const known = validators.get(props);
  if (known) return known;
  const built = buildValidator(props);
  validators.set(props, built);
  return built;
}

function buildValidator(props: Props): z.ZodObject {
  const shape: Record<string, z.ZodType> = {};
  for (const [name, p] of Object.entries(props)) {
    if (p.kind === 'markdown') continue;
    const schema = valueSchema(p);
    shape[name] = p.required ? schema : schema.optional();
  }
  return z.object(shape);
}

/**
 * Validates step inputs against their props, or throws an error naming each bad prop.
 * A prop left empty takes its `defaultValue`.
 */
export function parseProps<P extends Props>(props: P, values: unknown): PropsValue<P> {
  const given = (values ?? {}) as Record<string, unknown>;
  const withDefaults: Record<string, unknown> =
    typeof given === 'object' && !Array.isArray(given) ? { ...given } : given;
  for (const [name, p] of Object.entries(props)) {
    if (withDefaults[name] === undefined && p.defaultValue !== undefined) {
      withDefaults[name] = p.defaultValue;
    }
  }
  const result = propsValidator(props).safeParse(withDefaults);
  if (result.success) return result.data as PropsValue<P>;
  throw new InvalidPropsError(
    result.error.issues.map((issue) => ({
      prop: issue.path.join('.') || '(inputs)',
      message: issue.message,
    })),
  );
}

import type { AnyProp, DropdownState, OptionsContext, Props } from '@pmos/sdk/server';
import { ActivepiecesError } from '../errors.js';
import type { ApProperty } from '../pieces/piece-shape.js';

/**
 * How a dropdown's `options` or dynamic properties' `props` of a piece is called: with the
 * props' current values plus the piece's auth value, and a property context, inside the
 * piece's network scope. The connector supplies it (it knows the piece and its auth).
 */
export type PieceFunctionCaller = <T>(
  fn: (propsValue: Record<string, unknown>, ctx: unknown) => Promise<T>,
  ctx: OptionsContext,
  label: string,
) => Promise<T>;

/** Property types that only describe a connection; never a step input. */
const authOnlyTypes = new Set(['OAUTH2', 'BASIC_AUTH', 'CUSTOM_AUTH', 'OIDC']);

/** Every input Property type the adapter maps, as named across framework 0.5 … 0.32. */
export const mappedPropertyTypes = [
  'SHORT_TEXT',
  'LONG_TEXT',
  'MARKDOWN',
  'NUMBER',
  'CHECKBOX',
  'DATE_TIME',
  'JSON',
  'OBJECT',
  'ARRAY',
  'FILE',
  'COLOR',
  'CUSTOM',
  'SECRET_TEXT',
  'STATIC_DROPDOWN',
  'STATIC_MULTI_SELECT_DROPDOWN',
  'DROPDOWN',
  'MULTI_SELECT_DROPDOWN',
  'DYNAMIC',
] as const;

const markdownVariants: Record<string, 'info' | 'warning' | 'tip'> = {
  INFO: 'info',
  WARNING: 'warning',
  TIP: 'tip',
};

function common(p: ApProperty, name: string) {
  return {
    displayName: p.displayName || name,
    ...(p.description ? { description: p.description } : {}),
    required: p.required === true,
    ...(p.defaultValue !== undefined ? { defaultValue: p.defaultValue } : {}),
  };
}

function staticOptions(p: ApProperty, where: string): DropdownState<unknown> {
  const state = p.options as DropdownState<unknown> | undefined;
  if (!state || !Array.isArray(state.options)) {
    throw new ActivepiecesError(
      'piece_unreadable',
      `${where} is a static dropdown without options.`,
    );
  }
  return {
    options: state.options.map((o) => ({ label: String(o.label), value: o.value })),
    ...(state.disabled !== undefined ? { disabled: state.disabled } : {}),
    ...(state.placeholder !== undefined ? { placeholder: state.placeholder } : {}),
  };
}

/**
 * One Activepieces Property as an SDK prop, keeping everything a form and a run need:
 * dropdowns keep their refreshers and their options function, dynamic properties their
 * props function (both called through `call`), arrays their item fields.
 */
export function toSdkProp(
  p: ApProperty,
  name: string,
  where: string,
  call: PieceFunctionCaller,
): AnyProp {
  const base = common(p, name);
  const at = `${where} › ${base.displayName}`;
  switch (p.type) {
    case 'SHORT_TEXT':
      return { kind: 'short_text', ...base } as AnyProp;
    case 'LONG_TEXT':
      return { kind: 'long_text', ...base } as AnyProp;
    case 'SECRET_TEXT':
      return { kind: 'short_text', ...base, secret: true } as AnyProp;
    case 'MARKDOWN':
      return {
        kind: 'markdown',
        displayName: p.displayName ?? '',
        required: false,
        text: String(p.value ?? p.description ?? ''),
        ...(p.variant && markdownVariants[p.variant]
          ? { variant: markdownVariants[p.variant] }
          : {}),
      };
    case 'NUMBER':
      return { kind: 'number', ...base } as AnyProp;
    case 'CHECKBOX':
      return { kind: 'checkbox', ...base } as AnyProp;
    case 'DATE_TIME':
      return { kind: 'date_time', ...base } as AnyProp;
    case 'JSON':
      return { kind: 'json', ...base } as AnyProp;
    case 'OBJECT':
      return { kind: 'object', ...base } as AnyProp;
    case 'FILE':
      return { kind: 'file', ...base } as AnyProp;
    case 'COLOR':
      return { kind: 'color', ...base } as AnyProp;
    case 'CUSTOM':
      return { kind: 'custom', ...base, code: String(p.code ?? '') } as AnyProp;
    case 'ARRAY':
      return {
        kind: 'array',
        ...base,
        ...(p.properties ? { items: toSdkProps(p.properties, at, call) } : {}),
      } as AnyProp;
    case 'STATIC_DROPDOWN':
      return { kind: 'static_dropdown', ...base, options: staticOptions(p, at) } as AnyProp;
    case 'STATIC_MULTI_SELECT_DROPDOWN':
      return { kind: 'static_multi_select', ...base, options: staticOptions(p, at) } as AnyProp;
    case 'DROPDOWN':
    case 'MULTI_SELECT_DROPDOWN': {
      const options = p.options;
      if (typeof options !== 'function') {
        throw new ActivepiecesError(
          'piece_unreadable',
          `${at} is a dropdown without an options function.`,
        );
      }
      return {
        kind: p.type === 'DROPDOWN' ? 'dropdown' : 'multi_select',
        ...base,
        refreshers: [...(p.refreshers ?? [])],
        ...(p.refreshOnSearch ? { refreshOnSearch: true } : {}),
        options: (ctx: OptionsContext) =>
          call(
            options as (v: Record<string, unknown>, c: unknown) => Promise<DropdownState<unknown>>,
            ctx,
            at,
          ),
      } as AnyProp;
    }
    case 'DYNAMIC': {
      const props = p.props;
      if (typeof props !== 'function') {
        throw new ActivepiecesError(
          'piece_unreadable',
          `${at} is a dynamic property without a props function.`,
        );
      }
      return {
        kind: 'dynamic_properties',
        ...base,
        refreshers: [...(p.refreshers ?? [])],
        props: async (ctx: OptionsContext) =>
          toSdkProps(
            await call(
              props as (
                v: Record<string, unknown>,
                c: unknown,
              ) => Promise<Record<string, ApProperty>>,
              ctx,
              at,
            ),
            at,
            call,
          ),
      } as AnyProp;
    }
    default:
      throw new ActivepiecesError(
        'piece_unreadable',
        authOnlyTypes.has(p.type)
          ? `${at} is a ${p.type} property, which only a piece's auth may be.`
          : `${at} is a ${p.type} property, a type this adapter does not know.`,
      );
  }
}

export function toSdkProps(
  props: Record<string, ApProperty>,
  where: string,
  call: PieceFunctionCaller,
): Props {
  return Object.fromEntries(
    Object.entries(props ?? {}).map(([name, p]) => [name, toSdkProp(p, name, where, call)]),
  );
}

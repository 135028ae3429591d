import { NoOptionsError } from './errors.js';
import {
  type DropdownState,
  describeProps,
  type OptionsContext,
  type PropDescription,
  type Props,
} from './props.js';

export type ResolvedOptions =
  | { kind: 'options'; state: DropdownState<unknown> }
  | { kind: 'props'; props: Record<string, PropDescription> };

/**
 * What a form shows for one prop right now: a dropdown's options (static or computed from
 * the connection and the other props) or the fields of dynamic properties.
 */
export async function resolvePropOptions(
  props: Props,
  name: string,
  ctx: OptionsContext,
): Promise<ResolvedOptions> {
  const p = props[name];
  if (!p) throw new NoOptionsError(name, 'does not exist');
  switch (p.kind) {
    case 'static_dropdown':
    case 'static_multi_select':
      return { kind: 'options', state: filterBySearch(p.options, ctx.searchValue) };
    case 'dropdown':
    case 'multi_select': {
      const state = await p.options(ctx);
      // Without refreshOnSearch the plugin returns everything; the search narrows it here.
      return {
        kind: 'options',
        state: p.refreshOnSearch ? state : filterBySearch(state, ctx.searchValue),
      };
    }
    case 'dynamic_properties':
      return { kind: 'props', props: describeProps(await p.props(ctx)) };
    default:
      throw new NoOptionsError(name, `is a ${p.kind} field, not a dropdown`);
  }
}

function filterBySearch(state: DropdownState<unknown>, search?: string): DropdownState<unknown> {
  const q = search?.trim().toLowerCase();
  if (!q) return state;
  return { ...state, options: state.options.filter((o) => o.label.toLowerCase().includes(q)) };
}

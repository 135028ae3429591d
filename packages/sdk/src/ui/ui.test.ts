import { describe, expect, expectTypeOf, it } from 'vitest';
import { definePanel, isPanelDefinition, type PanelProps } from './index.js';

describe('definePanel', () => {
  it('types the context by slot', () => {
    const panel = definePanel({
      slot: 'integrations.connector.settings',
      displayName: 'Connection',
      component: (props) => {
        expectTypeOf(props.context.connectorId).toEqualTypeOf<string>();
        expectTypeOf(props).toEqualTypeOf<PanelProps<'integrations.connector.settings'>>();
        return null;
      },
    });
    expect(isPanelDefinition(panel)).toBe(true);
  });

  it('refuses an unknown slot and a missing name', () => {
    expect(() =>
      definePanel({ slot: 'sidebar' as never, displayName: 'X', component: () => null }),
    ).toThrow(/Unknown panel slot "sidebar"/);
    expect(() =>
      definePanel({ slot: 'workspace.dashboard.widget', displayName: ' ', component: () => null }),
    ).toThrow(/displayName/);
    expect(isPanelDefinition({ default: 1 })).toBe(false);
  });
});

import { isPanelDefinition, type PanelProps } from '@pmos/sdk/ui';
import { renderToString } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { pmos } from '../package.json';
import panel from './Panel';

const props = (
  get: (path: string) => Promise<unknown>,
): PanelProps<'workspace.dashboard.widget'> => ({
  slot: 'workspace.dashboard.widget',
  workspace: { id: 'ws_1', name: 'Acme' },
  plugin: { id: pmos.id, version: '0.1.0' },
  context: {},
  api: { get: get as never, post: async () => undefined as never },
});

describe('panel', () => {
  it('is a panel for the slot package.json declares', () => {
    expect(isPanelDefinition(panel)).toBe(true);
    expect(pmos.ui.panels).toEqual([{ slot: panel.slot, expose: './Panel' }]);
  });

  it('greets the workspace while connections load', () => {
    const Widget = panel.component;
    const html = renderToString(<Widget {...props(() => new Promise(() => {}))} />);
    expect(html).toContain('Hello, <!-- -->Acme<!-- -->.');
    expect(html).toContain('Checking connections…');
  });
});

import { isPanelDefinition, type PanelApi } from '@pmos/sdk/ui';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import pkg from '../../package.json' with { type: 'json' };
import panel from './Settings.js';

describe('the ./Settings panel', () => {
  it('is a panel for the slot package.json declares', () => {
    expect(isPanelDefinition(panel)).toBe(true);
    expect(panel.slot).toBe(pkg.pmos.ui.panels[0]?.slot);
    expect(panel.displayName).toBe('GitHub connection');
  });

  it('renders its root and a loading state before the connections arrive', () => {
    const api: PanelApi = {
      get: () => new Promise(() => {}),
      post: () => new Promise(() => {}),
    };
    const html = renderToStaticMarkup(
      createElement(panel.component, {
        slot: 'integrations.connector.settings',
        workspace: { id: 'ws_1', name: 'Acme' },
        plugin: { id: 'github-issues', version: '0.1.0' },
        context: { connectorId: 'github' },
        api,
      }),
    );
    expect(html).toContain('data-testid="github-issues-settings"');
    expect(html).toContain('Loading GitHub connections…');
  });
});

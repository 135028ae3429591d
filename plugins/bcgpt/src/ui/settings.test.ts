import { isPanelDefinition, type PanelApi } from '@pmos/sdk/ui';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import pkg from '../../package.json' with { type: 'json' };
import { describeConnectionState } from '../status.js';
import { linkInMessage, viewOfCheck } from './connection-link.js';
import panel from './Settings.js';

describe('the ./Settings panel', () => {
  it('is a panel for the slot and connector package.json declares', () => {
    expect(isPanelDefinition(panel)).toBe(true);
    expect(panel.slot).toBe(pkg.pmos.ui.panels[0]?.slot);
    expect(pkg.pmos.ui.panels[0]?.connector).toBe('bcgpt');
    expect(panel.displayName).toBe('Basecamp (BCGPT) connection');
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
        plugin: { id: 'bcgpt', version: '0.1.0' },
        context: { connectorId: 'bcgpt' },
        api,
      }),
    );
    expect(html).toContain('data-testid="bcgpt-settings"');
    expect(html).toContain('Loading BCGPT connections…');
  });
});

describe('what the panel shows for each health state', () => {
  it('shows the connect link of a "not linked" check as a button', () => {
    const report = describeConnectionState({
      state: 'basecamp_not_linked',
      connectUrl: 'https://bcgpt.wickedlab.io/connect',
      userName: 'Ada',
    });
    expect(viewOfCheck(report)).toEqual({
      kind: 'needs_link',
      text: report.message,
      link: 'https://bcgpt.wickedlab.io/connect',
    });
    const invalid = describeConnectionState({
      state: 'key_invalid',
      connectUrl: 'https://bc.acme.example/connect',
    });
    expect(viewOfCheck(invalid)).toMatchObject({
      kind: 'needs_link',
      link: 'https://bc.acme.example/connect',
    });
  });

  it('shows linked, unreachable and untested connections plainly', () => {
    expect(viewOfCheck({ ok: true, message: 'Connected to the Basecamp account "X".' })).toEqual({
      kind: 'linked',
      text: 'Connected to the Basecamp account "X".',
    });
    expect(
      viewOfCheck({ ok: false, message: 'BCGPT could not be reached at https://bc.example (x).' }),
    ).toEqual({
      kind: 'failing',
      text: 'BCGPT could not be reached at https://bc.example (x).',
      link: 'https://bc.example',
    });
    expect(viewOfCheck(null)).toMatchObject({ kind: 'untested' });
    expect(linkInMessage('no link here')).toBeNull();
  });
});

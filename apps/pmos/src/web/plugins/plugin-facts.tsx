import type { ReactNode } from 'react';
import type { WorkspacePlugin } from '../api-types.js';
import { GlobeIcon } from '../common/icons.js';

type Contributes = WorkspacePlugin['contributes'];

/** Where each panel slot shows in the app, as people know the places. */
const slotPlaces: Record<string, string> = {
  'workspace.dashboard.widget': 'the dashboard',
  'integrations.connector.settings': 'Integrations',
  'flow.step.config': 'automation steps',
};

const list = new Intl.ListFormat('en', { style: 'long', type: 'conjunction' });

/** "the GitHub connector", "a panel in Integrations" …: what enabling the plugin adds. */
export function contributionParts(contributes: Contributes): string[] {
  const parts: string[] = [];
  const { connectors, aiProviders, panels } = contributes;
  if (connectors.length > 0) {
    const names = list.format(connectors.map((connector) => connector.displayName));
    parts.push(`the ${names} ${connectors.length === 1 ? 'connector' : 'connectors'}`);
  }
  if (aiProviders.length > 0) {
    // Provider names often end in "AI" already: "Acme AI as an AI provider", not "Acme AI AI provider".
    const names = list.format(aiProviders.map((provider) => provider.displayName));
    parts.push(`${names} as ${aiProviders.length === 1 ? 'an AI provider' : 'AI providers'}`);
  }
  if (panels.length > 0) {
    const places = [...new Set(panels.map((panel) => slotPlaces[panel.slot] ?? panel.slot))];
    const count = panels.length === 1 ? 'a panel' : `${panels.length} panels`;
    parts.push(`${count} in ${list.format(places)}`);
  }
  return parts;
}

export function PluginContributions({ contributes }: { contributes: Contributes }) {
  const parts = contributionParts(contributes);
  return (
    <p className="plugin-adds">
      <span className="plugin-fact-label">Adds</span>{' '}
      {parts.length > 0 ? list.format(parts) : 'nothing this version of PMOS can show yet'}
    </p>
  );
}

/** The outside hosts a plugin may reach, shown before anyone turns it on. */
export function PluginHosts({ hosts }: { hosts: string[] }) {
  return (
    <p className="plugin-hosts">
      <GlobeIcon className="plugin-hosts-icon" />
      {hosts.length > 0 ? (
        <span>
          Can reach:{' '}
          {hosts.map((host, index) => (
            <span key={host}>
              {index > 0 ? ', ' : null}
              {host === '*' ? (
                // "*" is any public address; private ones only where the instance allows them.
                <strong>any public host</strong>
              ) : (
                <code>{host}</code>
              )}
            </span>
          ))}
        </span>
      ) : (
        <span>Reaches no outside services.</span>
      )}
    </p>
  );
}

/** One plugin in a list: its name, what tells it apart, its state, the facts, the actions. */
export function PluginItem({
  plugin,
  tag,
  badge,
  actions,
  children,
}: {
  plugin: { displayName: string; description: string | null };
  /** Next to the name: the version, the id … */
  tag: ReactNode;
  badge: ReactNode;
  actions?: ReactNode;
  children: ReactNode;
}) {
  return (
    <li className="plugin-item">
      <div className="plugin-item-main">
        <div className="plugin-item-title">
          <span className="plugin-name">{plugin.displayName}</span>
          {tag}
          {badge}
        </div>
        {plugin.description ? <p className="muted">{plugin.description}</p> : null}
        {children}
      </div>
      {actions ? <div className="plugin-item-actions">{actions}</div> : null}
    </li>
  );
}

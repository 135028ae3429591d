/** Where a plugin's UI panel may appear in the web app. Kept free of dependencies: UI remotes import it. */
export const panelSlots = [
  'workspace.dashboard.widget',
  'integrations.connector.settings',
  'flow.step.config',
] as const;

export type PanelSlot = (typeof panelSlots)[number];

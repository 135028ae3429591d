/**
 * @pmos/sdk/ui — the contract between the PMOS web app and a plugin's UI panels. A panel is
 * a React component exposed by the plugin's module federation remote; the exposed module's
 * default export is the value `definePanel` returns. Nothing here pulls in runtime code
 * beyond the slot list, so remotes stay small.
 */
import type { ComponentType } from 'react';
import { type PanelSlot, panelSlots } from '../slots.js';

export { type PanelSlot, panelSlots };

/** What each slot tells its panel about where it is shown. */
export interface PanelSlotContext {
  'workspace.dashboard.widget': Record<string, never>;
  'integrations.connector.settings': {
    connectorId: string;
    /** The connection being viewed, when the panel is shown for one. */
    connectionId?: string;
  };
  'flow.step.config': {
    flowId: string;
    stepName: string;
    actionId: string;
    values: Record<string, unknown>;
    /** Replaces the step's input values (the host validates them like any edit). */
    onChange(values: Record<string, unknown>): void;
  };
}

/**
 * Calls to the PMOS API on behalf of the signed-in person, limited to the current workspace:
 * `path` is relative to `/api/workspaces/:workspaceId/`, e.g. `connections`. The person's
 * role applies; a panel can never do more than its viewer.
 */
export interface PanelApi {
  get<T = unknown>(path: string): Promise<T>;
  post<T = unknown>(path: string, body?: unknown): Promise<T>;
}

export interface PanelProps<S extends PanelSlot = PanelSlot> {
  slot: S;
  workspace: { id: string; name: string };
  plugin: { id: string; version: string };
  context: PanelSlotContext[S];
  api: PanelApi;
}

export interface PanelDefinition<S extends PanelSlot = PanelSlot> {
  slot: S;
  /** Shown as the panel's title and in error messages. */
  displayName: string;
  component: ComponentType<PanelProps<S>>;
}

/** Declares a panel for one slot; make it the default export of an exposed module. */
export function definePanel<S extends PanelSlot>(panel: PanelDefinition<S>): PanelDefinition<S> {
  if (!(panelSlots as readonly string[]).includes(panel.slot)) {
    throw new Error(`Unknown panel slot "${panel.slot}": use one of ${panelSlots.join(', ')}`);
  }
  if (!panel.displayName?.trim()) throw new Error('A panel needs a displayName');
  if (typeof panel.component !== 'function' && typeof panel.component !== 'object') {
    throw new Error(`Panel "${panel.displayName}" needs a React component`);
  }
  return panel;
}

/** Whether a loaded module's default export is a panel (the host checks before rendering). */
export function isPanelDefinition(value: unknown): value is PanelDefinition {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as PanelDefinition).slot === 'string' &&
    typeof (value as PanelDefinition).displayName === 'string' &&
    ['function', 'object'].includes(typeof (value as PanelDefinition).component)
  );
}

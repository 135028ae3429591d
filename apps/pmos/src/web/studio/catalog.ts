import type { FlowCatalog, FlowStep } from '@pmos/flow';
import type { Catalog, CatalogAction, CatalogConnector, CatalogTrigger } from '../api-types.js';

/** A prop as the catalog describes it (`describeProps` of the SDK): everything but functions. */
export interface PropDescription {
  kind: string;
  displayName: string;
  required: boolean;
  description?: string;
  defaultValue?: unknown;
  /** Static dropdowns and multi-selects. */
  options?: {
    options: { label: string; value: unknown }[];
    placeholder?: string;
    disabled?: boolean;
  };
  /** Dynamic dropdowns, multi-selects and dynamic properties: props whose change refetches. */
  refreshers?: string[];
  refreshOnSearch?: boolean;
  dynamic?: boolean;
  /** Arrays: the fields of each item. */
  items?: Record<string, PropDescription>;
  /** Markdown notes. */
  text?: string;
  variant?: 'info' | 'warning' | 'tip';
  secret?: boolean;
}

export type PropsDescription = Record<string, PropDescription>;

/** The props record of a catalog step, typed. */
export function propsOf(described: { props: Record<string, Record<string, unknown>> }) {
  return described.props as unknown as PropsDescription;
}

/** What `validateFlow` needs: the catalog lists enabled plugins only, so all are enabled. */
export function toFlowCatalog(catalog: Catalog): FlowCatalog {
  const plugins: FlowCatalog['plugins'] = {};
  for (const connector of catalog.connectors) {
    const plugin = plugins[connector.pluginId] ?? {
      enabled: true,
      displayName: connector.pluginDisplayName,
      connectors: {},
    };
    plugins[connector.pluginId] = plugin;
    plugin.connectors[connector.id] = {
      displayName: connector.displayName,
      auth: { kind: connector.auth.kind },
      actions: Object.fromEntries(connector.actions.map((a) => [a.id, a])) as never,
      triggers: Object.fromEntries(connector.triggers.map((t) => [t.id, t])) as never,
    };
  }
  return { plugins };
}

export interface DescribedStep {
  connector: CatalogConnector;
  /** The action or trigger; undefined when the plugin no longer offers it. */
  definition: CatalogAction | CatalogTrigger | undefined;
}

/** The connector and action or trigger behind a plugin step, if the catalog has them. */
export function describeStep(catalog: Catalog, step: FlowStep): DescribedStep | undefined {
  if (step.type !== 'PLUGIN' && step.type !== 'PLUGIN_TRIGGER') return undefined;
  const { pluginId, connectorId } = step.settings;
  const connector = catalog.connectors.find((c) => c.pluginId === pluginId && c.id === connectorId);
  if (!connector) return undefined;
  const definition =
    step.type === 'PLUGIN'
      ? connector.actions.find((a) => a.id === step.settings.actionId)
      : connector.triggers.find((t) => t.id === step.settings.triggerId);
  return { connector, definition };
}

/** The inputs a new step starts with: each prop's default value. */
export function defaultInput(props: PropsDescription): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  for (const [name, prop] of Object.entries(props)) {
    if (prop.kind !== 'markdown' && prop.defaultValue !== undefined)
      input[name] = prop.defaultValue;
  }
  return input;
}

const builtInSubtitles: Record<string, string> = {
  LOOP_ON_ITEMS: 'Loop on items',
  ROUTER: 'Router: branches by conditions',
  CODE: 'Code',
  EMPTY: 'Choose what starts this flow',
};

/** What a step does in a few words, and its plugin (for the icon). */
export function summarizeStep(
  catalog: Catalog,
  step: FlowStep,
): { subtitle: string; pluginId?: string; pluginName?: string } {
  if (step.type !== 'PLUGIN' && step.type !== 'PLUGIN_TRIGGER') {
    return { subtitle: builtInSubtitles[step.type] ?? step.type };
  }
  const described = describeStep(catalog, step);
  const { pluginId } = step.settings;
  if (!described) return { subtitle: `${pluginId} (not available here)`, pluginId };
  const name = described.definition?.displayName ?? 'unknown step';
  return {
    subtitle: `${described.connector.displayName} · ${name}`,
    pluginId,
    pluginName: described.connector.pluginDisplayName,
  };
}

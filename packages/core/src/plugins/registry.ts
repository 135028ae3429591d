import type {
  ActionDefinition,
  AiProviderDefinition,
  ConnectorDefinition,
  TriggerDefinition,
} from '@pmos/sdk/server';
import { PluginError } from './errors.js';
import type { HostedPlugin, LoadedPlugin } from './loader.js';

export type StepDefinition =
  | { kind: 'action'; definition: ActionDefinition }
  | { kind: 'trigger'; definition: TriggerDefinition };

/** What the host loaded at start: looked up by id, never mutated afterwards. */
export class PluginRegistry {
  private readonly byId = new Map<string, HostedPlugin>();

  constructor(readonly plugins: readonly HostedPlugin[]) {
    for (const plugin of plugins) if (!this.byId.has(plugin.id)) this.byId.set(plugin.id, plugin);
  }

  get(id: string): HostedPlugin | undefined {
    return this.byId.get(id);
  }

  loaded(): LoadedPlugin[] {
    return this.plugins.filter((p): p is LoadedPlugin => p.status === 'loaded');
  }

  /** A loaded plugin, or the reason it cannot be used. */
  require(id: string): LoadedPlugin {
    const plugin = this.byId.get(id);
    if (!plugin) throw new PluginError('plugin_not_found', { details: { pluginId: id } });
    if (plugin.status !== 'loaded') {
      throw new PluginError('plugin_refused', {
        message: `The plugin "${id}" could not be loaded: ${plugin.problem}`,
      });
    }
    return plugin;
  }

  connector(plugin: LoadedPlugin, connectorId: string): ConnectorDefinition {
    const connector = plugin.definition?.contributes.connectors?.find((c) => c.id === connectorId);
    if (!connector) {
      throw new PluginError('connector_not_found', {
        details: { pluginId: plugin.id, connectorId },
      });
    }
    return connector;
  }

  aiProvider(plugin: LoadedPlugin, providerId: string): AiProviderDefinition {
    const provider = plugin.definition?.contributes.aiProviders?.find((p) => p.id === providerId);
    if (!provider) {
      throw new PluginError('connector_not_found', {
        message: 'This plugin has no such AI provider.',
        details: { pluginId: plugin.id, providerId },
      });
    }
    return provider;
  }

  /** The connector or AI provider a connection authenticates. */
  authOwner(plugin: LoadedPlugin, id: string): ConnectorDefinition | AiProviderDefinition {
    return (
      plugin.definition?.contributes.connectors?.find((c) => c.id === id) ??
      plugin.definition?.contributes.aiProviders?.find((p) => p.id === id) ??
      this.connector(plugin, id)
    );
  }

  step(connector: ConnectorDefinition, stepId: string): StepDefinition {
    const action = connector.actions.find((a) => a.id === stepId);
    if (action) return { kind: 'action', definition: action };
    const trigger = connector.triggers?.find((t) => t.id === stepId);
    if (trigger) return { kind: 'trigger', definition: trigger };
    throw new PluginError('step_not_found', { details: { connectorId: connector.id, stepId } });
  }
}

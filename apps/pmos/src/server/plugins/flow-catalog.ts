import { type EntityManager, enabledPlugins, type PluginRegistry } from '@pmos/core';
import type { FlowCatalog } from '@pmos/flow';
import { describeProps } from '@pmos/sdk/server';

/**
 * What flow validation knows of the plugins: every loaded plugin's connectors and steps,
 * marked enabled or not for this workspace — so a step of a disabled plugin is reported as
 * such, not as unknown.
 */
export async function flowCatalogFor(
  em: EntityManager,
  registry: PluginRegistry,
  workspaceId: string,
): Promise<FlowCatalog> {
  const enabled = new Set((await enabledPlugins(em, registry, workspaceId)).map((p) => p.id));
  const plugins: FlowCatalog['plugins'] = {};
  for (const plugin of registry.loaded()) {
    const connectors: FlowCatalog['plugins'][string]['connectors'] = {};
    for (const connector of plugin.definition?.contributes.connectors ?? []) {
      connectors[connector.id] = {
        displayName: connector.displayName,
        auth: { kind: connector.auth.kind },
        actions: Object.fromEntries(
          connector.actions.map((a) => [
            a.id,
            { displayName: a.displayName, props: describeProps(a.props) },
          ]),
        ),
        triggers: Object.fromEntries(
          (connector.triggers ?? []).map((t) => [
            t.id,
            { displayName: t.displayName, props: describeProps(t.props) },
          ]),
        ),
      };
    }
    plugins[plugin.id] = {
      enabled: enabled.has(plugin.id),
      displayName: plugin.manifest.displayName,
      connectors,
    };
  }
  return { plugins };
}

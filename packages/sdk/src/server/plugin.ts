import semver from 'semver';
import { z } from 'zod';
import { hostSchema, panelSchema, type panelSlots, pluginIdSchema } from '../manifest/manifest.js';
import type { AiProviderDefinition } from './ai-provider.js';
import type { ConnectorDefinition, PluginLogger } from './define.js';
import { SdkDefinitionError } from './errors.js';
import type { FlowSyncDefinition } from './flow-sync.js';

export interface PluginSetupContext<Config> {
  /** The instance configuration, validated against the plugin's `configSchema`. */
  config: Config;
  logger: PluginLogger;
}

export interface PanelContribution {
  slot: (typeof panelSlots)[number];
  /** The module the plugin's UI remote exposes, e.g. "./Settings". */
  expose: string;
  /** For connector slots: the connector the panel belongs to. */
  connector?: string;
}

export interface PluginDefinition<Config = undefined> {
  id: string;
  version: string;
  /** The semver range of @pmos/sdk this plugin was written for. */
  sdk: string;
  displayName: string;
  description?: string;
  /** An icon URL, or a path inside the package's UI remote. */
  icon?: string;
  contributes: {
    // biome-ignore lint/suspicious/noExplicitAny: connectors of any auth kind
    connectors?: ConnectorDefinition<any>[];
    // biome-ignore lint/suspicious/noExplicitAny: providers of any auth kind
    aiProviders?: AiProviderDefinition<any>[];
    // biome-ignore lint/suspicious/noExplicitAny: syncs of any auth kind
    flowSyncs?: FlowSyncDefinition<any>[];
    panels?: PanelContribution[];
  };
  permissions?: { hosts: string[] };
  configSchema?: z.ZodType<Config>;
  setup?(ctx: PluginSetupContext<Config>): Promise<void> | void;
}

const pluginSchema = z.object({
  id: pluginIdSchema,
  version: z
    .string()
    .refine((v) => semver.valid(v) !== null, { error: 'must be a semver version like 1.2.3' }),
  sdk: z
    .string()
    .refine((r) => semver.validRange(r) !== null, { error: 'must be a semver range like ^0.1.0' }),
  displayName: z.string().trim().min(1, { error: 'must not be empty' }),
  contributes: z.object({
    connectors: z.array(z.object({ id: z.string() }).loose()).optional(),
    aiProviders: z.array(z.object({ id: z.string() }).loose()).optional(),
    flowSyncs: z.array(z.object({ id: z.string(), connector: z.string() }).loose()).optional(),
    panels: z.array(panelSchema).optional(),
  }),
  permissions: z.object({ hosts: z.array(hostSchema) }).optional(),
});

/**
 * The plugin itself: identity, the SDK range it needs, what it contributes, the hosts it
 * may reach and its set-up. It imports nothing of the host; capabilities arrive in `setup`.
 */
export function definePlugin<Config = undefined>(
  plugin: PluginDefinition<Config>,
): PluginDefinition<Config> {
  const result = pluginSchema.safeParse(plugin);
  if (!result.success) {
    throw new SdkDefinitionError(
      `plugin "${plugin.id}"`,
      result.error.issues.map((i) => `${i.path.join('.')} ${i.message}`),
    );
  }
  const { connectors = [], aiProviders = [], flowSyncs = [], panels = [] } = plugin.contributes;
  const ids = [...connectors, ...aiProviders].map((c) => c.id);
  const duplicates = [...new Set(ids.filter((id, i) => ids.indexOf(id) !== i))];
  if (duplicates.length > 0) {
    throw new SdkDefinitionError(`plugin "${plugin.id}"`, [
      `duplicate connector or AI provider id: ${duplicates.join(', ')}`,
    ]);
  }
  // A flow sync reaches its remote system through one of the plugin's own connectors.
  const lost = flowSyncs.filter((s) => !connectors.some((c) => c.id === s.connector));
  if (lost.length > 0) {
    throw new SdkDefinitionError(
      `plugin "${plugin.id}"`,
      lost.map(
        (s) => `flow sync "${s.id}" names connector "${s.connector}", which it does not contribute`,
      ),
    );
  }
  if (connectors.length + aiProviders.length + panels.length === 0) {
    throw new SdkDefinitionError(`plugin "${plugin.id}"`, [
      'contributes nothing: add a connector, an AI provider or a panel',
    ]);
  }
  return plugin;
}

/** The JSON Schema of a plugin's configuration, for the manifest and the admin form. */
export function configJsonSchema(
  plugin: PluginDefinition<unknown>,
): Record<string, unknown> | undefined {
  return plugin.configSchema
    ? (z.toJSONSchema(plugin.configSchema) as Record<string, unknown>)
    : undefined;
}

import type { LanguageModelV4 } from '@ai-sdk/provider';
import {
  type Connections,
  inTenantScope,
  isPmosError,
  type MikroORM,
  pluginFetch,
  requireEnabledPlugin,
} from '@pmos/core';
import type { PluginHost } from '../plugins/plugin-host.js';
import { pluginCallOptions } from '../plugins/plugin-host.js';
import { stepAuth } from '../runs/step-auth.js';
import { ChatError } from './chat-errors.js';
import { getChatSettings } from './chat-store.js';

export interface ResolvedModel {
  model: LanguageModelV4;
  /** `plugin/provider`, e.g. `ai-providers/openai`: the same in every trace whatever the model. */
  provider: string;
  modelId: string;
  /** The provider's plain-language reading of a failed model call, when it offers one. */
  explain?: (error: unknown) => { code: string; message: string };
}

/** Gives the language model a workspace's chat uses now (tests give a scripted one). */
export type ModelResolver = (workspaceId: string, signal: AbortSignal) => Promise<ResolvedModel>;

/**
 * The workspace's chosen AI connection and model, through its AI provider plugin: the plugin
 * must be enabled, the connection's key is decrypted for this turn only, and the provider's
 * requests go through the plugin's bound fetch (its declared hosts).
 */
export function pluginModelResolver(deps: {
  orm: MikroORM;
  host: PluginHost;
  connections: Connections;
}): ModelResolver {
  return async (workspaceId, signal) => {
    const em = deps.orm.em.fork();
    const { settings, connection } = await inTenantScope(em, workspaceId, async (tx) => {
      const settings = await getChatSettings(tx, workspaceId);
      if (!settings.connectionId || !settings.modelId) throw new ChatError('chat_not_configured');
      try {
        return {
          settings,
          connection: await deps.connections.get(tx, workspaceId, settings.connectionId),
        };
      } catch (error) {
        if (isPmosError(error) && error.status === 404)
          throw new ChatError('chat_model_unavailable');
        throw error;
      }
    });
    let plugin: Awaited<ReturnType<typeof requireEnabledPlugin>>;
    try {
      plugin = await inTenantScope(em, workspaceId, (tx) =>
        requireEnabledPlugin(tx, deps.host.registry, workspaceId, connection.pluginId),
      );
    } catch (error) {
      if (isPmosError(error)) throw new ChatError('chat_model_unavailable', { cause: error });
      throw error;
    }
    const provider = plugin.definition?.contributes.aiProviders?.find(
      (p) => p.id === connection.connectorId,
    );
    if (!provider) throw new ChatError('chat_model_unavailable');
    const auth = await stepAuth({
      em,
      connections: deps.connections,
      fetch: deps.host.fetch,
      workspaceId,
      pluginId: plugin.id,
      connector: provider,
      reference: connection.id,
    });
    const modelId = settings.modelId as string;
    const model = provider.languageModel(
      { auth: auth as never, http: pluginFetch(plugin, pluginCallOptions(deps.host)), signal },
      modelId,
    );
    const explain = provider.explainError?.bind(provider);
    return {
      model,
      provider: `${plugin.id}/${provider.id}`,
      modelId,
      ...(explain ? { explain } : {}),
    };
  };
}

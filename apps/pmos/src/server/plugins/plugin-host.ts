import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  type CallOptions,
  discoverPlugins,
  loadPlugins,
  PluginRegistry,
  type PluginSource,
  scrub,
  scrubText,
  shareSdkWithPlugins,
} from '@pmos/core';
import type { PluginLogger } from '@pmos/sdk/server';
import type { FastifyBaseLogger } from 'fastify';

export interface PluginHost {
  registry: PluginRegistry;
  /** What plugin calls use to reach the outside (tests point it at fakes). */
  fetch: typeof fetch;
  /**
   * Hosts plugins allowed any public host (`"*"`) may reach although they are not public
   * (PMOS_HTTP_PRIVATE_HOSTS); none when absent.
   */
  privateHostsAllowed?: readonly string[];
}

/** The options every call into plugin code takes from the host: its fetch and network rule. */
export function pluginCallOptions(host: PluginHost, extra: CallOptions = {}): CallOptions {
  return { fetch: host.fetch, privateHostsAllowed: host.privateHostsAllowed ?? [], ...extra };
}

/** The repository's plugins/ and examples/, when PMOS runs from a checkout. */
export function defaultPluginRoots(): { dir: string; source: PluginSource }[] {
  const roots: { dir: string; source: PluginSource }[] = [];
  for (const [folder, source] of [
    ['plugins', 'bundled'],
    ['examples', 'example'],
  ] as const) {
    // dist/cli.js and src/server/plugins/*.ts both sit under apps/pmos.
    for (const up of ['../../..', '../../../../..']) {
      const dir = fileURLToPath(new URL(`${up}/${folder}`, import.meta.url));
      if (
        existsSync(dir) &&
        existsSync(fileURLToPath(new URL(`${up}/pnpm-workspace.yaml`, import.meta.url)))
      ) {
        roots.push({ dir, source });
        break;
      }
    }
  }
  return roots;
}

/**
 * Finds and loads every plugin once, at start. A plugin that is malformed, incompatible or
 * crashes is refused with a reason for the admin page and a warning in the log; the server
 * starts regardless.
 */
export async function startPluginHost(options: {
  roots: { dir: string; source: PluginSource }[];
  logger: FastifyBaseLogger;
  fetch?: typeof fetch;
  /** Instance configuration by plugin id (PMOS_PLUGIN_CONFIG). */
  config?: Record<string, unknown>;
  /** PMOS_HTTP_PRIVATE_HOSTS: see `PluginHost.privateHostsAllowed`. */
  privateHostsAllowed?: readonly string[];
}): Promise<PluginHost> {
  shareSdkWithPlugins();
  const discovered = await discoverPlugins(options.roots);
  const hosted = await loadPlugins(discovered, {
    config: options.config,
    logger: (plugin) => pluginLogger(options.logger.child({ plugin })),
  });
  for (const plugin of hosted) {
    if (plugin.status === 'loaded') {
      options.logger.info({ plugin: plugin.id, version: plugin.version }, 'plugin loaded');
    } else {
      options.logger.warn(
        { plugin: plugin.id, dir: plugin.dir, problem: plugin.problem },
        'plugin refused',
      );
    }
  }
  return {
    registry: new PluginRegistry(hosted),
    fetch: options.fetch ?? fetch,
    privateHostsAllowed: options.privateHostsAllowed ?? [],
  };
}

/** A plugin's logger: what it writes is scrubbed of secrets before it reaches the log. */
export function pluginLogger(logger: FastifyBaseLogger): PluginLogger {
  const at =
    (level: 'debug' | 'info' | 'warn' | 'error') =>
    (message: string, data?: Record<string, unknown>) =>
      logger[level](scrub(data ?? {}), scrubText(String(message)));
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

/** The module federation name of a plugin's UI remote: `pmos_` + id, dashes as underscores. */
export function mfNameOf(pluginId: string): string {
  return `pmos_${pluginId.replaceAll('-', '_')}`;
}

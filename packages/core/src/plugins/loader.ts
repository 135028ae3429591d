import { existsSync } from 'node:fs';
import { registerHooks } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { sdkVersion } from '@pmos/sdk';
import { isSdkCompatible, type PluginManifest } from '@pmos/sdk/manifest';
import { definePlugin, type PluginDefinition, type PluginLogger } from '@pmos/sdk/server';
import { scrubText } from '../audit/scrub.js';
import type { DiscoveredPlugin, PluginSource } from './discovery.js';

interface PluginBase {
  id: string;
  version: string;
  source: PluginSource;
  dir: string;
}

export interface LoadedPlugin extends PluginBase {
  status: 'loaded';
  manifest: PluginManifest;
  /** The server side, or null for a UI-only plugin. */
  definition: PluginDefinition<unknown> | null;
  /** The folder its UI remote is served from, or null without one. */
  uiDir: string | null;
}

export interface RefusedPlugin extends PluginBase {
  status: 'refused';
  manifest: PluginManifest | null;
  /** Why it was not loaded, for the admin: one or two plain sentences. */
  problem: string;
}

export type HostedPlugin = LoadedPlugin | RefusedPlugin;

export interface LoadOptions {
  logger: (plugin: string) => PluginLogger;
  /** Per-plugin instance configuration, validated against each plugin's configSchema. */
  config?: Record<string, unknown>;
  setupTimeoutMs?: number;
}

let sdkShared = false;

/**
 * Plugins installed outside this repository (PMOS_PLUGINS_DIR) declare @pmos/sdk as a peer:
 * when they cannot resolve it themselves, they get the host's copy, so every plugin shares
 * the SDK the host checked their range against.
 */
export function shareSdkWithPlugins(): void {
  if (sdkShared) return;
  sdkShared = true;
  const hostUrl = import.meta.url;
  registerHooks({
    resolve(specifier, context, nextResolve) {
      try {
        return nextResolve(specifier, context);
      } catch (error) {
        const isSdk = specifier === '@pmos/sdk' || specifier.startsWith('@pmos/sdk/');
        if (isSdk && (error as { code?: string }).code === 'ERR_MODULE_NOT_FOUND') {
          return nextResolve(specifier, { ...context, parentURL: hostUrl });
        }
        throw error;
      }
    },
  });
}

/**
 * Loads discovered plugins one by one: SDK range check, `import()` of the server entry,
 * re-validation of what it exports, then `setup`. Each failure refuses that plugin alone
 * with a reason; nothing a plugin does stops the others or the server.
 */
export async function loadPlugins(
  discovered: DiscoveredPlugin[],
  options: LoadOptions,
): Promise<HostedPlugin[]> {
  const hosted: HostedPlugin[] = [];
  const seen = new Map<string, string>();
  for (const found of discovered) {
    const base = {
      id: found.ok ? found.manifest.id : found.id,
      version: found.version,
      source: found.source,
      dir: found.dir,
    };
    const refuse = (problem: string, manifest: PluginManifest | null) =>
      hosted.push({ ...base, status: 'refused', manifest, problem });
    if (!found.ok) {
      refuse(found.problem, null);
      continue;
    }
    const { manifest } = found;
    const other = seen.get(manifest.id);
    if (other) {
      refuse(`Another plugin already uses the id "${manifest.id}" (${other}).`, manifest);
      continue;
    }
    seen.set(manifest.id, found.dir);
    if (!isSdkCompatible(manifest.sdk)) {
      refuse(
        `It needs @pmos/sdk ${manifest.sdk}, but this PMOS provides ${sdkVersion}. Install a version of the plugin made for this PMOS.`,
        manifest,
      );
      continue;
    }
    try {
      const definition = manifest.server
        ? await loadServer(found.dir, manifest, found.version, options)
        : null;
      const uiDir = manifest.ui ? dirname(join(found.dir, manifest.ui.manifest)) : null;
      if (manifest.ui && !existsSync(join(found.dir, manifest.ui.manifest))) {
        throw new Error(`Its UI was not built: ${manifest.ui.manifest} is missing.`);
      }
      hosted.push({ ...base, status: 'loaded', manifest, definition, uiDir });
    } catch (error) {
      refuse(describeFailure(error), manifest);
    }
  }
  return hosted;
}

async function loadServer(
  dir: string,
  manifest: PluginManifest,
  version: string,
  options: LoadOptions,
): Promise<PluginDefinition<unknown>> {
  const entry = join(dir, manifest.server?.entry ?? '');
  if (!existsSync(entry)) {
    throw new Error(`Its server entry ${manifest.server?.entry} is missing (was it built?).`);
  }
  const module = (await import(pathToFileURL(entry).href)) as { default?: unknown };
  const exported = module.default as PluginDefinition<unknown> | undefined;
  if (!exported || typeof exported !== 'object') {
    throw new Error('Its server entry must `export default definePlugin({...})`.');
  }
  // Checked again with the host's SDK: the plugin may carry its own copy, or none.
  const definition = definePlugin(exported);
  if (definition.id !== manifest.id) {
    throw new Error(`Its code says id "${definition.id}" but package.json says "${manifest.id}".`);
  }
  if (definition.version !== version) {
    throw new Error(
      `Its code says version ${definition.version} but package.json says ${version}.`,
    );
  }
  let config: unknown;
  if (definition.configSchema) {
    const parsed = definition.configSchema.safeParse(options.config?.[manifest.id] ?? {});
    if (!parsed.success) {
      throw new Error(
        `It needs configuration: ${parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`,
      );
    }
    config = parsed.data;
  }
  if (definition.setup) {
    const timeoutMs = options.setupTimeoutMs ?? 5_000;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.resolve(definition.setup({ config, logger: options.logger(manifest.id) })),
      new Promise((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`Its setup did not finish within ${timeoutMs / 1000} s.`)),
          timeoutMs,
        );
      }),
    ]).finally(() => clearTimeout(timer));
  }
  return definition;
}

function describeFailure(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  // One line, no stack, no secret that a plugin might have put in its error.
  return scrubText(message.split('\n')[0] ?? 'It failed to load.').slice(0, 500);
}

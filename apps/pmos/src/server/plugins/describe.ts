import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { HostedPlugin, LoadedPlugin } from '@pmos/core';
import { type AuthDefinition, describeProps } from '@pmos/sdk/server';
import type { z } from 'zod';
import type { authDescriptionSchema } from '../../api/plugin-schemas.js';
import { mfNameOf } from './plugin-host.js';

type AuthDescription = z.infer<typeof authDescriptionSchema>;

/** A plugin as the API shows it: identity, asked permissions and what it contributes. */
export function describePlugin(plugin: HostedPlugin) {
  const manifest = plugin.manifest;
  const definition = plugin.status === 'loaded' ? plugin.definition : null;
  return {
    id: plugin.id,
    displayName: manifest?.displayName ?? plugin.id,
    description: manifest?.description ?? definition?.description ?? null,
    version: plugin.version,
    sdk: manifest?.sdk ?? '',
    permissions: { hosts: manifest?.permissions.hosts ?? [] },
    contributes: {
      connectors: (definition?.contributes.connectors ?? []).map((c) => ({
        id: c.id,
        displayName: c.displayName,
      })),
      aiProviders: (definition?.contributes.aiProviders ?? []).map((p) => ({
        id: p.id,
        displayName: p.displayName,
      })),
      panels: manifest?.ui?.panels ?? [],
    },
  };
}

/** An auth kind for the connection form: labels and fields, never functions. */
export function describeAuth(auth: AuthDefinition): AuthDescription {
  switch (auth.kind) {
    case 'none':
      return { kind: auth.kind };
    case 'secret_text':
      return { kind: auth.kind, displayName: auth.displayName, description: auth.description };
    case 'basic':
      return { kind: auth.kind, username: auth.username, password: auth.password };
    case 'custom':
      return { kind: auth.kind, description: auth.description, props: describeProps(auth.props) };
    case 'oauth2':
      return {
        kind: auth.kind,
        scopes: auth.scopes,
        grantType: auth.grantType,
        props: auth.props ? describeProps(auth.props) : undefined,
      };
  }
}

/** What the workspace's enabled plugins offer: connectors with their steps, AI providers. */
export function describeCatalog(plugins: LoadedPlugin[]) {
  return {
    connectors: plugins.flatMap((plugin) =>
      (plugin.definition?.contributes.connectors ?? []).map((c) => ({
        pluginId: plugin.id,
        pluginDisplayName: plugin.manifest.displayName,
        pluginVersion: plugin.version,
        id: c.id,
        displayName: c.displayName,
        description: c.description ?? null,
        auth: describeAuth(c.auth),
        hasHealthCheck: typeof c.healthCheck === 'function',
        hasRemoteTools: typeof c.listRemoteTools === 'function',
        actions: c.actions.map((a) => ({
          id: a.id,
          displayName: a.displayName,
          description: a.description,
          risk: a.risk,
          props: describeProps(a.props),
          ...(a.sampleOutput === undefined ? {} : { sampleOutput: a.sampleOutput }),
        })),
        triggers: (c.triggers ?? []).map((t) => ({
          id: t.id,
          displayName: t.displayName,
          description: t.description,
          strategy: t.strategy,
          testable: typeof t.test === 'function' || t.strategy !== 'webhook',
          props: describeProps(t.props),
          ...(t.sampleOutput === undefined ? {} : { sampleOutput: t.sampleOutput }),
        })),
      })),
    ),
    aiProviders: plugins.flatMap((plugin) =>
      (plugin.definition?.contributes.aiProviders ?? []).map((p) => ({
        pluginId: plugin.id,
        pluginDisplayName: plugin.manifest.displayName,
        id: p.id,
        displayName: p.displayName,
        description: p.description ?? null,
        auth: describeAuth(p.auth),
        hasHealthCheck: typeof p.healthCheck === 'function',
      })),
    ),
  };
}

/** Where the web host loads a plugin's UI remote from, and under which federation name. */
export function describeRemote(plugin: LoadedPlugin) {
  const ui = plugin.manifest.ui;
  if (!ui || !plugin.uiDir) return null;
  const file = ui.manifest.replace(/^\.\//, '');
  const base = `/plugins/${plugin.id}/${plugin.version}/`;
  return {
    pluginId: plugin.id,
    displayName: plugin.manifest.displayName,
    version: plugin.version,
    mfName: remoteName(plugin),
    manifestUrl: `${base}${file.slice(file.lastIndexOf('/') + 1)}`,
    panels: ui.panels,
  };
}

const names = new Map<string, string>();

/** The name the remote was built with (from its mf-manifest.json), else the convention. */
function remoteName(plugin: LoadedPlugin): string {
  const key = `${plugin.id}@${plugin.version}`;
  let name = names.get(key);
  if (!name) {
    try {
      const file = join(plugin.dir, plugin.manifest.ui?.manifest ?? '');
      name =
        (JSON.parse(readFileSync(file, 'utf8')) as { name?: string }).name ?? mfNameOf(plugin.id);
    } catch {
      name = mfNameOf(plugin.id);
    }
    names.set(key, name);
  }
  return name;
}

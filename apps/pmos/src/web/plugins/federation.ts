import { createInstance, type ModuleFederation } from '@module-federation/runtime';
import * as React from 'react';
import * as JsxRuntime from 'react/jsx-runtime';
import * as ReactDom from 'react-dom';
import * as ReactDomClient from 'react-dom/client';

/**
 * The module federation host: one runtime instance for the whole app, created on first use
 * (pages without plugin panels never load this module). React is offered to the remotes as a
 * shared singleton — the remotes' own copies stay unused, so hooks work across the boundary.
 */

const shareConfig = { singleton: true, requiredVersion: '^19.0.0' };

// `lib` hands over the module the host already runs, so no second copy is ever evaluated.
const shared = (lib: unknown) => ({
  version: React.version,
  lib: () => lib,
  shareConfig,
});

let instance: ModuleFederation | undefined;

function federation(): ModuleFederation {
  instance ??= createInstance({
    name: 'pmos_host',
    remotes: [],
    shareStrategy: 'loaded-first',
    shared: {
      react: shared(React),
      'react-dom': shared(ReactDom),
      'react/jsx-runtime': shared(JsxRuntime),
      'react-dom/client': shared(ReactDomClient),
    },
  });
  return instance;
}

export interface RemoteEntry {
  /** The remote's federation name, e.g. `pmos_github_issues`. */
  mfName: string;
  /** Where its mf-manifest.json is served (same origin), e.g. `/plugins/<id>/<version>/…`. */
  manifestUrl: string;
}

/** The manifest each remote name is registered with, to register each only once. */
const registered = new Map<string, string>();

/**
 * Tells the runtime where the remotes are. A remote whose manifest moved (a new plugin
 * version) is swapped in; the runtime warns about that, and a reload is the cleaner path.
 */
export function registerRemotes(remotes: readonly RemoteEntry[]): void {
  const runtime = federation();
  for (const remote of remotes) {
    const entry = new URL(remote.manifestUrl, window.location.origin).href;
    const current = registered.get(remote.mfName);
    if (current === entry) continue;
    runtime.registerRemotes([{ name: remote.mfName, entry }], { force: current !== undefined });
    registered.set(remote.mfName, entry);
  }
}

/** Loads one exposed module of a registered remote, e.g. (`pmos_github_issues`, `./Settings`). */
export async function loadExposed(remote: RemoteEntry, expose: string): Promise<unknown> {
  registerRemotes([remote]);
  const id = `${remote.mfName}/${expose.replace(/^\.\//, '')}`;
  const module = await federation().loadRemote<unknown>(id);
  if (module === null || module === undefined) {
    throw new Error(`The module federation runtime returned nothing for ${id}.`);
  }
  return module;
}

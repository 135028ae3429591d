import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { type PluginManifest, parsePluginManifest } from '@pmos/sdk/manifest';

export type PluginSource = 'bundled' | 'example' | 'installed';

/** A folder that claims to be a plugin: its manifest, or why it cannot be one. */
export type DiscoveredPlugin =
  | {
      ok: true;
      dir: string;
      source: PluginSource;
      packageName: string;
      version: string;
      manifest: PluginManifest;
    }
  | { ok: false; dir: string; source: PluginSource; id: string; version: string; problem: string };

/**
 * Finds plugin packages: each child folder (and `@scope/*` grandchild) of the given roots
 * whose package.json has a `pmos` block. Folders without one are not plugins and are skipped
 * silently; a malformed block is reported, never thrown.
 */
export async function discoverPlugins(
  roots: { dir: string; source: PluginSource }[],
): Promise<DiscoveredPlugin[]> {
  const found: DiscoveredPlugin[] = [];
  for (const root of roots) {
    for (const dir of await packageDirs(root.dir)) {
      const plugin = await readPlugin(dir, root.source);
      if (plugin) found.push(plugin);
    }
  }
  return found;
}

async function packageDirs(root: string): Promise<string[]> {
  const entries = await readdir(root, { withFileTypes: true }).catch(() => []);
  const dirs: string[] = [];
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
    const path = join(root, entry.name);
    if (!(entry.isDirectory() || (entry.isSymbolicLink() && (await isDir(path))))) continue;
    if (entry.name.startsWith('@')) dirs.push(...(await packageDirs(path)));
    else dirs.push(path);
  }
  return dirs;
}

async function isDir(path: string): Promise<boolean> {
  return (await stat(path).catch(() => null))?.isDirectory() ?? false;
}

async function readPlugin(dir: string, source: PluginSource): Promise<DiscoveredPlugin | null> {
  let pkg: { name?: unknown; version?: unknown; pmos?: unknown };
  try {
    pkg = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8'));
  } catch {
    return null; // not a package
  }
  if (pkg.pmos === undefined) return null;
  const version = typeof pkg.version === 'string' ? pkg.version : '0.0.0';
  const claimedId =
    typeof (pkg.pmos as { id?: unknown })?.id === 'string'
      ? (pkg.pmos as { id: string }).id
      : String(pkg.name ?? dir);
  try {
    const manifest = parsePluginManifest(pkg);
    return { ok: true, dir, source, packageName: String(pkg.name), version, manifest };
  } catch (error) {
    return { ok: false, dir, source, id: claimedId, version, problem: (error as Error).message };
  }
}

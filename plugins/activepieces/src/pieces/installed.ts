import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { ActivepiecesError } from '../errors.js';
import { type ApPiece, isPiece } from './piece-shape.js';

const require = createRequire(import.meta.url);

/** An installed `@activepieces/piece-*` package, loaded. */
export interface InstalledPiece {
  packageName: string;
  version: string;
  /** The pieces-framework the package resolves, when it has its own (bundled pieces do not). */
  frameworkVersion?: string;
  piece: ApPiece;
}

/** The `@activepieces/piece-*` dependencies of this plugin, by name → pinned version. */
export function pieceDependencies(dependencies: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(dependencies).filter(([name]) => /^@activepieces\/piece-[a-z0-9-]+$/.test(name)),
  );
}

/** Loads a piece package (CommonJS, old or bundled format) and finds the piece it exports. */
export function loadInstalledPiece(packageName: string): InstalledPiece {
  let entry: string;
  let module: Record<string, unknown>;
  try {
    entry = require.resolve(packageName);
    module = require(packageName) as Record<string, unknown>;
  } catch (error) {
    throw new ActivepiecesError(
      'piece_not_installed',
      `${packageName} is not installed in the Activepieces plugin (${(error as Error).message.split('\n')[0]}).`,
      { cause: error },
    );
  }
  const piece = Object.values(module).find(isPiece);
  if (!piece) {
    throw new ActivepiecesError(
      'piece_unreadable',
      `${packageName} exports no piece (createPiece(...)).`,
    );
  }
  const root = packageRoot(entry, packageName);
  const pkg = require(join(root, 'package.json')) as { version: string };
  let frameworkVersion: string | undefined;
  try {
    const fromPiece = createRequire(join(root, 'package.json'));
    frameworkVersion = (
      fromPiece('@activepieces/pieces-framework/package.json') as { version: string }
    ).version;
  } catch {
    // Bundled pieces carry their framework inside: the context version speaks for it.
  }
  return { packageName, version: pkg.version, frameworkVersion, piece };
}

function packageRoot(entry: string, packageName: string): string {
  let dir = dirname(entry);
  while (!dir.endsWith(join('node_modules', packageName)) && dirname(dir) !== dir)
    dir = dirname(dir);
  return dir;
}

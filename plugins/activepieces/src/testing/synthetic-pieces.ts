import { createRequire } from 'node:module';
import type { InstalledPiece } from '../pieces/installed.js';
import type { ApPiece } from '../pieces/piece-shape.js';

const require = createRequire(import.meta.url);

/**
 * The installed pieces-framework (0.32.0), untyped: test pieces are built with the same
 * `createPiece` / `createAction` / `Property` published pieces use, and the adapter must read
 * them by their runtime shape anyway.
 */
// biome-ignore lint/suspicious/noExplicitAny: the framework's generics are beside the point here
export const framework = require('@activepieces/pieces-framework') as any;

/** An installed piece as the catalog would load it, for a piece built in a test. */
export function asInstalled(
  piece: unknown,
  packageName = '@activepieces/piece-synthetic',
): InstalledPiece {
  return { packageName, version: '1.0.0', frameworkVersion: '0.32.0', piece: piece as ApPiece };
}

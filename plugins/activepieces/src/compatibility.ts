import type { ApPiece } from './pieces/piece-shape.js';
import { contextVersionOf } from './pieces/piece-shape.js';

/**
 * The Activepieces release this adapter stands in for. It builds the run context of context
 * version 2 (`LATEST_CONTEXT_VERSION` of pieces-framework 0.32.0), and 0.82.0 is the first
 * release whose engine gives that context (`MINIMUM_SUPPORTED_RELEASE_AFTER_LATEST_CONTEXT_VERSION`).
 * A piece that asks for a later release may rely on engine features added since, so it is
 * refused rather than run half-supported. Raise this only with the context features it adds.
 */
export const emulatedActivepiecesRelease = '0.82.0';

/** The newest pieces-framework this adapter was written against. */
export const newestKnownFramework = '0.32.0';

/** Context versions whose run context the adapter builds: V0 (none), V1, V2. */
export const supportedContextVersions = [undefined, '1', '2'] as const;

/** "0.82.0" → [0, 82, 0]; anything else (ranges, tags) → null. */
export function parseRelease(version: string | undefined): [number, number, number] | null {
  const match = /^(\d+)\.(\d+)\.(\d+)$/.exec(version?.trim() ?? '');
  return match ? [Number(match[1]), Number(match[2]), Number(match[3])] : null;
}

export function compareReleases(a: [number, number, number], b: [number, number, number]): number {
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return (a[i] ?? 0) - (b[i] ?? 0);
  return 0;
}

export type Compatibility = { ok: true } | { ok: false; reason: string };

/**
 * Whether PMOS can run the piece: its release window must hold the emulated release, its
 * context version must be one the adapter builds, and its framework not newer than known.
 */
export function checkCompatibility(
  piece: ApPiece,
  facts: { packageName: string; version: string; frameworkVersion?: string },
  release: string = emulatedActivepiecesRelease,
): Compatibility {
  const name = `${piece.displayName} (${facts.packageName}@${facts.version})`;
  const emulated = parseRelease(release);
  if (!emulated) throw new Error(`Not a release: ${release}`);
  const min = parseRelease(piece.minimumSupportedRelease);
  if (piece.minimumSupportedRelease && !min) {
    return {
      ok: false,
      reason: `${name} declares an unreadable minimum release "${piece.minimumSupportedRelease}".`,
    };
  }
  if (min && compareReleases(min, emulated) > 0) {
    return {
      ok: false,
      reason: `${name} needs Activepieces ${piece.minimumSupportedRelease} or later; PMOS runs pieces as Activepieces ${release}.`,
    };
  }
  const max = parseRelease(piece.maximumSupportedRelease);
  if (piece.maximumSupportedRelease && !max) {
    return {
      ok: false,
      reason: `${name} declares an unreadable maximum release "${piece.maximumSupportedRelease}".`,
    };
  }
  if (max && compareReleases(max, emulated) < 0) {
    return {
      ok: false,
      reason: `${name} works up to Activepieces ${piece.maximumSupportedRelease} only; PMOS runs pieces as Activepieces ${release}.`,
    };
  }
  const context = contextVersionOf(piece);
  if (!(supportedContextVersions as readonly (string | undefined)[]).includes(context)) {
    return {
      ok: false,
      reason: `${name} was built for run context version ${context}, newer than PMOS builds (up to 2).`,
    };
  }
  const framework = parseRelease(facts.frameworkVersion);
  const known = parseRelease(newestKnownFramework);
  // Patch releases of the known minor are fine; a newer minor or major may change the context.
  if (
    framework &&
    known &&
    compareReleases([framework[0], framework[1], 0], [known[0], known[1], 0]) > 0
  ) {
    return {
      ok: false,
      reason: `${name} uses pieces-framework ${facts.frameworkVersion}, newer than this adapter knows (${newestKnownFramework}).`,
    };
  }
  return { ok: true };
}

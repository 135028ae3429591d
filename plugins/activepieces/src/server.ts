/**
 * The server side of the Activepieces plugin (`pmos.server.entry`): every installed
 * `@activepieces/piece-*` package becomes a PMOS connector — its auth, actions (with a risk),
 * polling/webhook triggers and every property, dropdowns with their refreshers. The instance
 * setting narrows which pieces are offered. It imports nothing of PMOS but `@pmos/sdk`.
 */
import { definePlugin } from '@pmos/sdk/server';
import pkg from '../package.json' with { type: 'json' };
import { type PieceSettings, pieceSettingsSchema, selectedPieces } from './config.js';
import { buildCatalog } from './pieces/catalog.js';
import { pieceDependencies } from './pieces/installed.js';

export { emulatedActivepiecesRelease } from './compatibility.js';
export { buildCatalog, type PieceCatalog } from './pieces/catalog.js';

/** The pieces this package installs: npm name → exact version. */
export const installedPieces = pieceDependencies(pkg.dependencies);

/** Every installed piece, until the instance setting (in `setup`) narrows the list. */
export const catalog = buildCatalog(selectedPieces({}, installedPieces));

const connectors = [...catalog.connectors];

export default definePlugin<PieceSettings>({
  id: pkg.pmos.id,
  version: pkg.version,
  sdk: pkg.pmos.sdk,
  displayName: pkg.pmos.displayName,
  description: pkg.pmos.description,
  contributes: { connectors },
  permissions: { hosts: pkg.pmos.permissions.hosts },
  configSchema: pieceSettingsSchema(installedPieces),
  setup({ config, logger }) {
    const wanted = new Set(selectedPieces(config, installedPieces).map((p) => p.packageName));
    // The host reads `contributes` after setup: keep the chosen pieces' connectors, in place.
    const kept = catalog.connectors.filter((_, i) =>
      wanted.has(catalog.offered[i]?.packageName ?? ''),
    );
    connectors.splice(0, connectors.length, ...kept);
    for (const piece of catalog.offered) {
      if (!wanted.has(piece.packageName)) continue;
      logger.info(`Offering ${piece.packageName}@${piece.version} as "${piece.connectorId}"`);
      for (const part of piece.leftOut) logger.warn(part);
    }
    for (const piece of catalog.refused) {
      if (wanted.has(piece.packageName))
        logger.warn(`Not offering ${piece.packageName}@${piece.version}: ${piece.reason}`);
    }
  },
});

/**
 * The server side of the Activepieces plugin (`pmos.server.entry`): every installed
 * `@activepieces/piece-*` package becomes a PMOS connector — its auth, actions (with a risk),
 * polling/webhook triggers and every property, dropdowns with their refreshers. The instance
 * setting narrows which pieces are offered. And it syncs flows with an Activepieces instance
 * (the "Activepieces instance" connector and the flow sync, src/sync/). It imports nothing of
 * PMOS but `@pmos/sdk`.
 */
import { definePlugin } from '@pmos/sdk/server';
import pkg from '../package.json' with { type: 'json' };
import { type PieceSettings, pieceSettingsSchema, selectedPieces } from './config.js';
import { buildCatalog } from './pieces/catalog.js';
import { pieceDependencies } from './pieces/installed.js';
import { instanceConnector } from './sync/connection.js';
import { activepiecesFlowSync } from './sync/flow-sync.js';

export { emulatedActivepiecesRelease } from './compatibility.js';
export { buildCatalog, type PieceCatalog } from './pieces/catalog.js';

/** The pieces this package installs: npm name → exact version. */
export const installedPieces = pieceDependencies(pkg.dependencies);

/** Every installed piece, until the instance setting (in `setup`) narrows the list. */
export const catalog = buildCatalog(selectedPieces({}, installedPieces));

const connectors = [...catalog.connectors, instanceConnector];
// The pieces sync maps by: every installed one until the setting narrows them in `setup`.
let offered = catalog.offered;
let retryDelaysMs: readonly number[] | undefined;
const flowSync = activepiecesFlowSync({
  offered: () => offered,
  retryDelaysMs: () => retryDelaysMs,
  pluginVersion: pkg.version,
});

export default definePlugin<PieceSettings>({
  id: pkg.pmos.id,
  version: pkg.version,
  sdk: pkg.pmos.sdk,
  displayName: pkg.pmos.displayName,
  description: pkg.pmos.description,
  contributes: { connectors, flowSyncs: [flowSync] },
  // Piece hosts by name, plus "*" for the Activepieces instance (its URL is the admin's
  // choice; public hosts only unless PMOS_HTTP_PRIVATE_HOSTS allows one). Piece code stays
  // limited to its own hosts by network/scope.ts.
  permissions: { hosts: pkg.pmos.permissions.hosts },
  configSchema: pieceSettingsSchema(installedPieces),
  setup({ config, logger }) {
    const wanted = new Set(selectedPieces(config, installedPieces).map((p) => p.packageName));
    // The host reads `contributes` after setup: keep the chosen pieces' connectors, in place.
    const kept = catalog.connectors.filter((_, i) =>
      wanted.has(catalog.offered[i]?.packageName ?? ''),
    );
    connectors.splice(0, connectors.length, ...kept, instanceConnector);
    offered = catalog.offered.filter((p) => wanted.has(p.packageName));
    retryDelaysMs = config.syncRetryDelaysMs;
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

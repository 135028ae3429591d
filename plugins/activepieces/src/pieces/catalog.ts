import type { ConnectorDefinition } from '@pmos/sdk/server';
import { pieceToConnector } from '../adapter/connector.js';
import { checkCompatibility } from '../compatibility.js';
import { isActivepiecesError } from '../errors.js';
import { pieceHosts, riskOverrides } from '../network/piece-hosts.js';
import { type InstalledPiece, loadInstalledPiece } from './installed.js';

export interface OfferedPiece {
  packageName: string;
  version: string;
  connectorId: string;
  /** Activepieces action / trigger name → PMOS step id (what flow sync maps by). */
  stepIds: Record<string, string>;
  /** Actions and triggers PMOS cannot offer, with the reason. */
  leftOut: string[];
}

export interface RefusedPiece {
  packageName: string;
  version: string;
  reason: string;
}

export interface PieceCatalog {
  connectors: ConnectorDefinition[];
  offered: OfferedPiece[];
  refused: RefusedPiece[];
}

/**
 * The connectors for a list of pieces: each loaded, checked for compatibility and adapted on
 * its own, so one piece that cannot run is refused with a reason and the others stay.
 */
export function buildCatalog(
  pieces: { packageName: string; version: string }[],
  load: (packageName: string) => InstalledPiece = loadInstalledPiece,
): PieceCatalog {
  const catalog: PieceCatalog = { connectors: [], offered: [], refused: [] };
  for (const wanted of pieces) {
    try {
      const installed = load(wanted.packageName);
      const compatibility = checkCompatibility(installed.piece, installed);
      if (!compatibility.ok) {
        catalog.refused.push({ ...wanted, reason: compatibility.reason });
        continue;
      }
      const { connector, stepIds, leftOut } = pieceToConnector(installed, {
        hosts: pieceHosts[wanted.packageName] ?? [],
        risks: riskOverrides[wanted.packageName],
      });
      catalog.connectors.push(connector);
      catalog.offered.push({ ...wanted, connectorId: connector.id, stepIds, leftOut });
    } catch (error) {
      if (
        !isActivepiecesError(error) &&
        !(error as { code?: string }).code?.startsWith('invalid_plugin')
      ) {
        throw error;
      }
      catalog.refused.push({ ...wanted, reason: (error as Error).message });
    }
  }
  return catalog;
}

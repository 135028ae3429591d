import { FlowSyncError } from '@pmos/sdk/server';
import { connectorIdOf, slugOf } from '../adapter/ids.js';
import type { OfferedPiece } from '../pieces/catalog.js';
import type { ApFlowVersion } from './client.js';

/**
 * PMOS flow documents ↔ Activepieces FlowVersions. Both are the same tree (trigger →
 * nextAction, loops, routers, `{{step_N.x}}` templates), so steps keep their names and inputs;
 * what differs is how a piece step names its piece:
 * - Activepieces: `PIECE {pieceName, pieceVersion, actionName}`;
 * - PMOS: `PLUGIN {pluginId: 'activepieces', connectorId, actionId, pluginVersion}`, the ids
 *   being the adapter's slugs of the piece and action names.
 * What a PMOS document cannot carry (the exact piece version of a piece this PMOS does not
 * offer, a code step's package.json, notes) comes back from the last remote snapshot.
 */

/** The PMOS flow format (`@pmos/flow` flowFormatVersion) these documents are written in. */
export const pmosFlowFormat = 1;

/** Activepieces' flow schema version (`LATEST_FLOW_SCHEMA_VERSION` of @activepieces/shared 0.96.2). */
export const activepiecesSchemaVersion = '22';

type Json = Record<string, unknown>;

/** The installed pieces, looked up both ways. */
export interface PieceIndex {
  byPackage: Map<string, OfferedPiece>;
  byConnector: Map<string, OfferedPiece>;
}

export function pieceIndex(offered: readonly OfferedPiece[]): PieceIndex {
  return {
    byPackage: new Map(offered.map((p) => [p.packageName, p])),
    byConnector: new Map(offered.map((p) => [p.connectorId, p])),
  };
}

// Activepieces 0.96 spells two operators differently; three of its own have no PMOS twin.
const operatorToPmos: Record<string, string> = { TEXT_START_WITH: 'TEXT_STARTS_WITH' };
const operatorToAp: Record<string, string> = { TEXT_STARTS_WITH: 'TEXT_START_WITH' };
const apOnlyOperators = new Set([
  'TEXT_DOES_NOT_START_WITH',
  'TEXT_DOES_NOT_END_WITH',
  'DATE_IS_EQUAL',
]);
const pmosOnlyOperators = new Set(['TEXT_MATCHES_REGEX']);

const where = (step: Json) => `Step "${String(step.displayName)}" (${String(step.name)})`;

function notMappable(message: string): FlowSyncError {
  return new FlowSyncError('not_mappable', message);
}

// ---------------------------------------------------------------- Activepieces → PMOS

/** An Activepieces flow version as a PMOS flow document. */
export function toPmosDocument(
  version: ApFlowVersion,
  index: PieceIndex,
  pluginVersion: string,
): Json {
  return {
    displayName: version.displayName,
    schemaVersion: pmosFlowFormat,
    trigger: triggerToPmos(version.trigger, index, pluginVersion),
  };
}

function pieceIds(
  pieceName: string,
  stepName: string,
  index: PieceIndex,
): { connectorId: string; stepId: string } {
  const offered = index.byPackage.get(pieceName);
  return {
    connectorId: offered?.connectorId ?? connectorIdOf(pieceName),
    stepId: offered?.stepIds[stepName] ?? slugOf(stepName),
  };
}

function triggerToPmos(trigger: Json, index: PieceIndex, pluginVersion: string): Json {
  const common = {
    name: 'trigger',
    displayName: String(trigger.displayName ?? 'Trigger'),
    valid: trigger.valid === true,
    ...chain(trigger, index, pluginVersion),
  };
  if (trigger.type === 'EMPTY') return { ...common, type: 'EMPTY', valid: false, settings: {} };
  if (trigger.type !== 'PIECE_TRIGGER') {
    throw notMappable(
      `The trigger has the Activepieces type "${String(trigger.type)}", which PMOS does not know.`,
    );
  }
  const settings = trigger.settings as Json;
  const ids = pieceIds(String(settings.pieceName), String(settings.triggerName ?? ''), index);
  return {
    ...common,
    type: 'PLUGIN_TRIGGER',
    settings: {
      pluginId: 'activepieces',
      connectorId: ids.connectorId,
      triggerId: ids.stepId,
      pluginVersion,
      input: (settings.input as Json) ?? {},
      ...propertySettingsOf(settings),
    },
  };
}

function chain(step: Json, index: PieceIndex, pluginVersion: string): Json {
  return step.nextAction
    ? { nextAction: actionToPmos(step.nextAction as Json, index, pluginVersion) }
    : {};
}

function propertySettingsOf(settings: Json): Json {
  const ps = settings.propertySettings as Json | undefined;
  return ps && Object.keys(ps).length > 0 ? { propertySettings: ps } : {};
}

function errorHandlingOf(settings: Json): Json {
  return settings.errorHandlingOptions
    ? { errorHandlingOptions: settings.errorHandlingOptions }
    : {};
}

function actionToPmos(action: Json, index: PieceIndex, pluginVersion: string): Json {
  if (action.continueOnFailureBranches) {
    throw notMappable(
      `${where(action)} continues on failure into separate success and failure branches, which PMOS flows cannot express yet.`,
    );
  }
  const settings = (action.settings ?? {}) as Json;
  const base = {
    name: String(action.name),
    displayName: String(action.displayName),
    valid: action.valid === true,
    ...(action.skip === true ? { skip: true } : {}),
    ...chain(action, index, pluginVersion),
  };
  switch (action.type) {
    case 'PIECE': {
      const ids = pieceIds(String(settings.pieceName), String(settings.actionName ?? ''), index);
      return {
        ...base,
        type: 'PLUGIN',
        settings: {
          pluginId: 'activepieces',
          connectorId: ids.connectorId,
          actionId: ids.stepId,
          pluginVersion,
          input: (settings.input as Json) ?? {},
          ...propertySettingsOf(settings),
          ...errorHandlingOf(settings),
        },
      };
    }
    case 'CODE':
      return {
        ...base,
        type: 'CODE',
        settings: {
          sourceCode: { code: String((settings.sourceCode as Json | undefined)?.code ?? '') },
          input: (settings.input as Json) ?? {},
          ...errorHandlingOf(settings),
        },
      };
    case 'LOOP_ON_ITEMS':
      return {
        ...base,
        type: 'LOOP_ON_ITEMS',
        settings: { items: String(settings.items ?? '') },
        ...(action.firstLoopAction
          ? { firstLoopAction: actionToPmos(action.firstLoopAction as Json, index, pluginVersion) }
          : {}),
      };
    case 'ROUTER':
      return {
        ...base,
        type: 'ROUTER',
        settings: {
          executionType: settings.executionType,
          branches: (settings.branches as Json[]).map((branch) =>
            mapBranch(branch, action, operatorToPmos, apOnlyOperators, 'Activepieces'),
          ),
        },
        children: ((action.children as (Json | null)[] | undefined) ?? []).map((child) =>
          child ? actionToPmos(child, index, pluginVersion) : null,
        ),
      };
    default:
      throw notMappable(
        `${where(action)} has the Activepieces type "${String(action.type)}", which PMOS does not know.`,
      );
  }
}

function mapBranch(
  branch: Json,
  step: Json,
  rename: Record<string, string>,
  unknown: Set<string>,
  side: string,
): Json {
  if (branch.branchType !== 'CONDITION') {
    return { branchType: branch.branchType, branchName: branch.branchName };
  }
  return {
    branchType: 'CONDITION',
    branchName: branch.branchName,
    conditions: (branch.conditions as Json[][]).map((group) =>
      group.map((condition) => {
        const operator = String(condition.operator);
        if (unknown.has(operator)) {
          throw notMappable(
            `${where(step)}, branch "${String(branch.branchName)}": the ${side} condition ${operator} has no equivalent on the other side.`,
          );
        }
        return { ...condition, operator: rename[operator] ?? operator };
      }),
    ),
  };
}

// ---------------------------------------------------------------- PMOS → Activepieces

/** What the previous Activepieces version said about each step, by step name. */
function stepsOf(snapshot: ApFlowVersion | null): Map<string, Json> {
  const steps = new Map<string, Json>();
  const visit = (step: Json | null | undefined) => {
    if (!step) return;
    steps.set(String(step.name), step);
    visit(step.nextAction as Json | undefined);
    visit(step.firstLoopAction as Json | undefined);
    for (const child of (step.children as (Json | null)[] | undefined) ?? []) visit(child);
  };
  visit(snapshot?.trigger);
  return steps;
}

/**
 * A PMOS flow document as the request of Activepieces' IMPORT_FLOW (a full replace of the
 * draft: what the PMOS document says, exactly). Refuses, naming the step, what Activepieces
 * cannot represent.
 */
export function toActivepiecesImport(
  document: Json,
  snapshot: ApFlowVersion | null,
  index: PieceIndex,
  now: string,
): Json {
  const previous = stepsOf(snapshot);
  const trigger = document.trigger as Json;
  return {
    displayName: String(document.displayName),
    trigger: triggerToAp(trigger, previous, index, now),
    schemaVersion: snapshot?.schemaVersion ?? activepiecesSchemaVersion,
    // PMOS does not edit Activepieces notes: keep the ones the flow has.
    notes: snapshot?.notes ?? [],
  };
}

function pieceOf(
  step: Json,
  settings: Json,
  previous: Map<string, Json>,
  index: PieceIndex,
  kind: 'action' | 'trigger',
): { pieceName: string; pieceVersion: string; name: string } {
  const stepId = String(kind === 'action' ? settings.actionId : settings.triggerId);
  if (settings.pluginId !== 'activepieces') {
    throw notMappable(
      `${where(step)} uses the PMOS plugin "${String(settings.pluginId)}" (${String(settings.connectorId)} › ${stepId}), which has no Activepieces equivalent: remove it, or keep this flow in PMOS only.`,
    );
  }
  const connectorId = String(settings.connectorId);
  const before = previous.get(String(step.name))?.settings as Json | undefined;
  const beforePiece =
    before && connectorIdOf(String(before.pieceName)) === connectorId ? before : undefined;
  const offered = index.byConnector.get(connectorId);
  const pieceName = offered?.packageName ?? (beforePiece?.pieceName as string | undefined);
  if (!pieceName) {
    throw notMappable(
      `${where(step)} uses the piece "${connectorId}", which this PMOS does not offer and the Activepieces flow did not have: its Activepieces name and version are unknown.`,
    );
  }
  // Keep the version Activepieces pinned when the piece did not change; else PMOS's.
  const pieceVersion = String(beforePiece?.pieceVersion ?? offered?.version);
  const nameKey = kind === 'action' ? 'actionName' : 'triggerName';
  const fromOffered = offered
    ? Object.entries(offered.stepIds).find(([, id]) => id === stepId)?.[0]
    : undefined;
  const beforeName = beforePiece?.[nameKey] as string | undefined;
  const name =
    fromOffered ?? (beforeName && slugOf(beforeName) === stepId ? beforeName : undefined);
  if (!name) {
    throw notMappable(
      `${where(step)}: the ${kind} "${stepId}" of ${pieceName} is not known to this PMOS, so its Activepieces name is unknown.`,
    );
  }
  return { pieceName, pieceVersion, name };
}

function triggerToAp(trigger: Json, previous: Map<string, Json>, index: PieceIndex, now: string) {
  const common = {
    name: 'trigger',
    displayName: String(trigger.displayName),
    valid: trigger.valid === true,
    lastUpdatedDate: now,
    ...(trigger.nextAction
      ? { nextAction: actionToAp(trigger.nextAction as Json, previous, index, now) }
      : {}),
  };
  if (trigger.type === 'EMPTY') return { ...common, type: 'EMPTY', settings: {} };
  const settings = trigger.settings as Json;
  const piece = pieceOf(trigger, settings, previous, index, 'trigger');
  return {
    ...common,
    type: 'PIECE_TRIGGER',
    settings: {
      pieceName: piece.pieceName,
      pieceVersion: piece.pieceVersion,
      triggerName: piece.name,
      input: settings.input ?? {},
      propertySettings: settings.propertySettings ?? {},
    },
  };
}

function actionToAp(
  action: Json,
  previous: Map<string, Json>,
  index: PieceIndex,
  now: string,
): Json {
  const settings = action.settings as Json;
  const base = {
    name: String(action.name),
    displayName: String(action.displayName),
    valid: action.valid === true,
    ...(action.skip === true ? { skip: true } : {}),
    lastUpdatedDate: now,
    ...(action.nextAction
      ? { nextAction: actionToAp(action.nextAction as Json, previous, index, now) }
      : {}),
  };
  switch (action.type) {
    case 'PLUGIN': {
      const piece = pieceOf(action, settings, previous, index, 'action');
      return {
        ...base,
        type: 'PIECE',
        settings: {
          pieceName: piece.pieceName,
          pieceVersion: piece.pieceVersion,
          actionName: piece.name,
          input: settings.input ?? {},
          propertySettings: settings.propertySettings ?? {},
          ...errorHandlingOf(settings),
        },
      };
    }
    case 'CODE': {
      // PMOS code steps import nothing; the package.json Activepieces had is kept.
      const before = previous.get(String(action.name));
      const packageJson =
        before?.type === 'CODE'
          ? String(((before.settings as Json).sourceCode as Json | undefined)?.packageJson ?? '{}')
          : '{}';
      return {
        ...base,
        type: 'CODE',
        settings: {
          sourceCode: { code: String((settings.sourceCode as Json).code), packageJson },
          input: settings.input ?? {},
          ...errorHandlingOf(settings),
        },
      };
    }
    case 'LOOP_ON_ITEMS':
      return {
        ...base,
        type: 'LOOP_ON_ITEMS',
        settings: { items: String(settings.items) },
        ...(action.firstLoopAction
          ? { firstLoopAction: actionToAp(action.firstLoopAction as Json, previous, index, now) }
          : {}),
      };
    case 'ROUTER':
      return {
        ...base,
        type: 'ROUTER',
        settings: {
          executionType: settings.executionType,
          branches: (settings.branches as Json[]).map((branch) =>
            mapBranch(branch, action, operatorToAp, pmosOnlyOperators, 'PMOS'),
          ),
        },
        children: ((action.children as (Json | null)[] | undefined) ?? []).map((child) =>
          child ? actionToAp(child, previous, index, now) : null,
        ),
      };
    default:
      throw notMappable(
        `${where(action)} has the PMOS type "${String(action.type)}", which Activepieces does not know.`,
      );
  }
}

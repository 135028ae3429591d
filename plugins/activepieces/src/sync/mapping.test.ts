import { isFlowSyncError } from '@pmos/sdk/server';
import { describe, expect, it } from 'vitest';
import { catalog } from '../server.js';
import type { ApFlowVersion } from './client.js';
import { apPieceStep, apTrigger } from './fixtures.js';
import { pieceIndex, toActivepiecesImport, toPmosDocument } from './mapping.js';

// biome-ignore lint/suspicious/noExplicitAny: documents are checked by assertions, not types
type Doc = any;

const index = pieceIndex(catalog.offered);
const version = (trigger: Record<string, unknown>): ApFlowVersion => ({
  id: 'v1',
  updated: '2026-01-05T10:00:00.000Z',
  displayName: 'Follow up',
  trigger,
  schemaVersion: '22',
  notes: [],
});
const now = '2026-01-06T00:00:00.000Z';

function refusal(work: () => unknown): string {
  try {
    work();
  } catch (error) {
    if (isFlowSyncError(error)) return `${error.code}: ${error.message}`;
    throw error;
  }
  throw new Error('not refused');
}

describe('Activepieces → PMOS', () => {
  it('maps PIECE steps to activepieces plugin steps by the adapter’s ids, keeping names and inputs', () => {
    const doc = toPmosDocument(version(apTrigger()), index, '0.1.0') as Doc;
    expect(doc.schemaVersion).toBe(1);
    expect(doc.trigger).toMatchObject({
      name: 'trigger',
      type: 'PLUGIN_TRIGGER',
      settings: {
        pluginId: 'activepieces',
        connectorId: 'todoist',
        triggerId: 'task_completed',
        pluginVersion: '0.1.0',
        input: { auth: "{{connections['todoist-main']}}" },
      },
    });
    const delay = doc.trigger.nextAction;
    expect(delay).toMatchObject({
      name: 'step_1',
      type: 'PLUGIN',
      settings: {
        connectorId: 'delay',
        actionId: 'delay_for',
        input: { delayFor: 1, unit: 'seconds' },
        propertySettings: { content: { type: 'MANUAL' } },
        errorHandlingOptions: { retryOnFailure: { value: true } },
      },
    });
    const router = delay.nextAction;
    expect(router.settings.branches[0].conditions[0][0].operator).toBe('TEXT_STARTS_WITH');
    expect(router.children[0].settings).toMatchObject({ connectorId: 'store', actionId: 'put' });
    expect(router.children[1]).toBeNull();
    expect(router.nextAction).toMatchObject({
      type: 'CODE',
      settings: { sourceCode: { code: 'export const code = async (inputs) => inputs.x;' } },
    });
  });

  it('keeps a piece PMOS does not offer as a step of its slug (PMOS shows it as unknown)', () => {
    const trigger = {
      ...apTrigger(),
      nextAction: apPieceStep(
        'step_1',
        '@activepieces/piece-slack',
        '0.17.9',
        'send_message_to_a_channel',
        {},
      ),
    };
    const doc = toPmosDocument(version(trigger), index, '0.1.0') as Doc;
    expect(doc.trigger.nextAction.settings).toMatchObject({
      connectorId: 'slack',
      actionId: 'send_message_to_a_channel',
    });
  });

  it('refuses what PMOS cannot express, naming the step', () => {
    const trigger = {
      ...apTrigger(),
      nextAction: {
        ...apPieceStep('step_1', '@activepieces/piece-store', '0.6.20', 'put', {}),
        continueOnFailureBranches: { onSuccess: null },
      },
    };
    expect(refusal(() => toPmosDocument(version(trigger), index, '0.1.0'))).toMatch(
      /^not_mappable: Step "put \(step_1\)" \(step_1\) continues on failure/,
    );
  });
});

describe('PMOS → Activepieces', () => {
  it('round-trips a flow: the import request equals what Activepieces had (but for dates)', () => {
    const original = version(apTrigger());
    const doc = toPmosDocument(original, index, '0.1.0');
    const request = toActivepiecesImport(doc, original, index, now) as Doc;
    const strip = (value: unknown): unknown =>
      JSON.parse(JSON.stringify(value, (key, v) => (key === 'lastUpdatedDate' ? undefined : v)));
    expect(strip(request.trigger)).toEqual(strip(original.trigger));
    expect(request).toMatchObject({ displayName: 'Follow up', schemaVersion: '22', notes: [] });
  });

  it('names the installed piece version for new steps and the Activepieces one for kept steps', () => {
    const original = version(apTrigger());
    const doc = toPmosDocument(original, index, '0.1.0') as Doc;
    // A new Storage step appended in PMOS; Delay keeps 0.3.20 (what Activepieces pinned).
    doc.trigger.nextAction.nextAction.nextAction.nextAction = {
      name: 'step_5',
      displayName: 'Remember',
      valid: true,
      type: 'PLUGIN',
      settings: {
        pluginId: 'activepieces',
        connectorId: 'store',
        actionId: 'get',
        pluginVersion: '0.1.0',
        input: { key: 'last' },
      },
    };
    const request = toActivepiecesImport(doc, original, index, now) as Doc;
    expect(request.trigger.nextAction.settings).toMatchObject({
      pieceName: '@activepieces/piece-delay',
      pieceVersion: '0.3.20',
      actionName: 'delayFor',
    });
    const added = request.trigger.nextAction.nextAction.nextAction.nextAction;
    expect(added).toMatchObject({
      name: 'step_5',
      type: 'PIECE',
      settings: {
        pieceName: '@activepieces/piece-store',
        pieceVersion: '0.6.20',
        actionName: 'get',
        input: { key: 'last' },
        propertySettings: {},
      },
      lastUpdatedDate: now,
    });
    // The code step keeps the package.json Activepieces had.
    expect(request.trigger.nextAction.nextAction.nextAction.settings.sourceCode.packageJson).toBe(
      '{"dependencies":{"dayjs":"1.11.9"}}',
    );
  });

  it('refuses a PMOS-native plugin step, a regex condition and an unknown piece, naming the step', () => {
    const base = toPmosDocument(version(apTrigger()), index, '0.1.0') as Doc;
    const native = structuredClone(base);
    native.trigger.nextAction = {
      name: 'step_1',
      displayName: 'Post to Basecamp',
      valid: true,
      type: 'PLUGIN',
      settings: {
        pluginId: 'bcgpt',
        connectorId: 'basecamp',
        actionId: 'create_todo',
        pluginVersion: '1.0.0',
        input: {},
      },
    };
    expect(refusal(() => toActivepiecesImport(native, null, index, now))).toBe(
      'not_mappable: Step "Post to Basecamp" (step_1) uses the PMOS plugin "bcgpt" (basecamp › create_todo), which has no Activepieces equivalent: remove it, or keep this flow in PMOS only.',
    );
    const regex = structuredClone(base);
    regex.trigger.nextAction.nextAction.settings.branches[0].conditions[0][0].operator =
      'TEXT_MATCHES_REGEX';
    expect(refusal(() => toActivepiecesImport(regex, null, index, now))).toMatch(
      /^not_mappable: Step "Which project" \(step_2\), branch "Launch": the PMOS condition TEXT_MATCHES_REGEX/,
    );
    const unknown = structuredClone(base);
    unknown.trigger.nextAction.settings.connectorId = 'slack';
    expect(refusal(() => toActivepiecesImport(unknown, null, index, now))).toMatch(
      /^not_mappable: Step "delayFor \(step_1\)" \(step_1\) uses the piece "slack", which this PMOS does not offer/,
    );
  });
});

/**
 * Activepieces steps as its builder writes them (0.96.2 shapes), for mapping and sync tests.
 * Imports nothing, so the app's integration test can share them.
 */
type Json = Record<string, unknown>;

const at = '2026-01-05T10:00:00.000Z';

export function apPieceStep(
  name: string,
  pieceName: string,
  pieceVersion: string,
  actionName: string,
  input: Json,
  next?: Json,
): Json {
  return {
    name,
    displayName: `${actionName} (${name})`,
    valid: true,
    lastUpdatedDate: at,
    type: 'PIECE',
    settings: {
      pieceName,
      pieceVersion,
      actionName,
      input,
      propertySettings: { content: { type: 'MANUAL' } },
      errorHandlingOptions: {
        continueOnFailure: { value: false },
        retryOnFailure: { value: true },
      },
    },
    ...(next ? { nextAction: next } : {}),
  };
}

/** Todoist "Task Completed" → Delay For (v0.3.20, not the installed one) → a router → code. */
export function apTrigger(): Json {
  const code: Json = {
    name: 'step_4',
    displayName: 'Shape it',
    valid: true,
    lastUpdatedDate: at,
    type: 'CODE',
    settings: {
      sourceCode: {
        code: 'export const code = async (inputs) => inputs.x;',
        packageJson: '{"dependencies":{"dayjs":"1.11.9"}}',
      },
      input: { x: '{{trigger.content}}' },
    },
  };
  const router: Json = {
    name: 'step_2',
    displayName: 'Which project',
    valid: true,
    lastUpdatedDate: at,
    type: 'ROUTER',
    settings: {
      executionType: 'EXECUTE_FIRST_MATCH',
      branches: [
        {
          branchType: 'CONDITION',
          branchName: 'Launch',
          conditions: [
            [
              {
                operator: 'TEXT_START_WITH',
                firstValue: '{{trigger.content}}',
                secondValue: 'Launch',
                caseSensitive: false,
              },
            ],
          ],
        },
        { branchType: 'FALLBACK', branchName: 'Otherwise' },
      ],
    },
    children: [
      apPieceStep('step_3', '@activepieces/piece-store', '0.6.20', 'put', {
        key: 'last',
        value: '{{trigger.id}}',
        store_scope: 'COLLECTION',
      }),
      null,
    ],
    nextAction: code,
  };
  return {
    name: 'trigger',
    displayName: 'Task Completed',
    valid: true,
    lastUpdatedDate: at,
    type: 'PIECE_TRIGGER',
    settings: {
      pieceName: '@activepieces/piece-todoist',
      pieceVersion: '0.3.1',
      triggerName: 'task_completed',
      input: { auth: "{{connections['todoist-main']}}" },
      propertySettings: {},
    },
    nextAction: apPieceStep(
      'step_1',
      '@activepieces/piece-delay',
      '0.3.20',
      'delayFor',
      { delayFor: 1, unit: 'seconds' },
      router,
    ),
  };
}

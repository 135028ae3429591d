import type { Action, Flow } from '@pmos/flow';
import { describe, expect, it } from 'vitest';
import { dropPlacesOf } from './drop-places.js';
import { layoutFlow } from './graph-layout.js';
import { movePlacesOf } from './move-places.js';

const code = (name: string, displayName: string, next?: Action): Action => ({
  name,
  displayName,
  valid: true,
  type: 'CODE',
  settings: { sourceCode: { code: 'return 1;' }, input: {} },
  ...(next ? { nextAction: next } : {}),
});

// Start → Each order [ By amount { Large: Ask, Otherwise: (empty) } ] → Summarise
const flow: Flow = {
  displayName: 'Orders',
  schemaVersion: 1,
  trigger: {
    name: 'trigger',
    displayName: 'Start',
    valid: true,
    type: 'EMPTY',
    settings: {},
    nextAction: {
      name: 'step_1',
      displayName: 'Each order',
      valid: true,
      type: 'LOOP_ON_ITEMS',
      settings: { items: '{{trigger.orders}}' },
      firstLoopAction: {
        name: 'step_2',
        displayName: 'By amount',
        valid: true,
        type: 'ROUTER',
        settings: {
          branches: [
            {
              branchType: 'CONDITION',
              branchName: 'Large',
              conditions: [[{ firstValue: 'a', operator: 'EXISTS' }]],
            },
            { branchType: 'FALLBACK', branchName: 'Otherwise' },
          ],
          executionType: 'EXECUTE_FIRST_MATCH',
        },
        children: [code('step_3', 'Ask'), null],
      },
      nextAction: code('step_4', 'Summarise'),
    },
  },
};

const labelsFor = (stepName: string) => {
  const { nodes, edges } = layoutFlow(flow);
  return movePlacesOf(flow, dropPlacesOf(nodes, edges), stepName).map((p) => p.label);
};

describe('movePlacesOf', () => {
  it('lists the places a step can move to in reading order, not where it already is', () => {
    expect(labelsFor('step_4')).toEqual([
      'After “Start” (first step)',
      'Inside loop “Each order” (first)',
      'In branch “Large” of “By amount” (first)',
      'After “Ask” (in branch “Large” of “By amount”)',
      'In branch “Otherwise” of “By amount” (first)',
      'After “By amount” (in loop “Each order”)',
    ]);
  });

  it('leaves out the places inside the moved step', () => {
    expect(labelsFor('step_2')).toEqual([
      'After “Start” (first step)',
      'After “Each order”',
      'After “Summarise”',
    ]);
  });

  it('gives each place the words of the move operation', () => {
    const { nodes, edges } = layoutFlow(flow);
    const places = movePlacesOf(flow, dropPlacesOf(nodes, edges), 'step_4');
    expect(places[3]?.place).toEqual({
      parentStep: 'step_3',
      stepLocationRelativeToParent: 'AFTER',
    });
    expect(places[4]?.place).toEqual({
      parentStep: 'step_2',
      stepLocationRelativeToParent: 'INSIDE_BRANCH',
      branchIndex: 1,
    });
  });
});

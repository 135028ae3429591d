import type { Action, Flow } from '@pmos/flow';
import { describe, expect, it } from 'vitest';
import { dropPlacesOf, nearestDrop } from './drop-places.js';
import { cardHeight, layoutFlow } from './graph-layout.js';

const code = (name: string, next?: Action): Action => ({
  name,
  displayName: `Code ${name}`,
  valid: true,
  type: 'CODE',
  settings: { sourceCode: { code: 'return 1;' }, input: {} },
  ...(next ? { nextAction: next } : {}),
});

const flowOf = (first?: Action): Flow => ({
  displayName: 'Test',
  schemaVersion: 1,
  trigger: {
    name: 'trigger',
    displayName: 'Start',
    valid: true,
    type: 'EMPTY',
    settings: {},
    ...(first ? { nextAction: first } : {}),
  },
});

const byId = (nodes: ReturnType<typeof layoutFlow>['nodes']) =>
  new Map(nodes.map((n) => [n.id, n]));

describe('layoutFlow', () => {
  it('stacks a chain in one column with a "+" after each step', () => {
    const { nodes, edges } = layoutFlow(flowOf(code('step_1', code('step_2'))));
    const at = byId(nodes);
    expect(at.get('trigger')?.position.x).toBe(at.get('step_1')?.position.x);
    expect(at.get('step_2')?.position.y).toBeGreaterThan(
      (at.get('step_1')?.position.y ?? 0) + cardHeight,
    );
    expect(edges.map((e) => [e.source, e.target, e.data?.add?.parentStep])).toEqual([
      ['trigger', 'step_1', 'trigger'],
      ['step_1', 'step_2', 'step_1'],
      ['step_2', 'end', 'step_2'],
    ]);
  });

  it('draws a router’s branches side by side, an empty one as a placeholder, and joins them', () => {
    const router: Action = {
      name: 'step_1',
      displayName: 'Route',
      valid: true,
      type: 'ROUTER',
      settings: {
        branches: [
          {
            branchType: 'CONDITION',
            branchName: 'Paid',
            conditions: [[{ firstValue: 'a', operator: 'EXISTS' }]],
          },
          { branchType: 'FALLBACK', branchName: 'Otherwise' },
        ],
        executionType: 'EXECUTE_FIRST_MATCH',
      },
      children: [code('step_2'), null],
      nextAction: code('step_3'),
    };
    const { nodes, edges } = layoutFlow(flowOf(router));
    const at = byId(nodes);
    const branch = at.get('step_2');
    const empty = nodes.find((n) => n.type === 'placeholder');
    expect(branch?.position.y).toBe(empty?.position.y);
    expect(branch?.position.x).toBeLessThan(empty?.position.x ?? 0);
    expect(empty?.data).toMatchObject({
      add: { parentStep: 'step_1', stepLocationRelativeToParent: 'INSIDE_BRANCH', branchIndex: 1 },
    });
    expect(edges.find((e) => e.target === 'step_2')?.data).toMatchObject({
      label: 'Paid',
      add: { stepLocationRelativeToParent: 'INSIDE_BRANCH', branchIndex: 0 },
    });
    expect(edges.find((e) => e.target === 'step_3')).toMatchObject({
      source: 'join:step_1',
      data: { add: { parentStep: 'step_1', stepLocationRelativeToParent: 'AFTER' } },
    });
    expect(at.get('step_3')?.position.y).toBeGreaterThan(branch?.position.y ?? 0);
  });

  it('frames a loop’s body and adds inside it', () => {
    const loop: Action = {
      name: 'step_1',
      displayName: 'Each row',
      valid: true,
      type: 'LOOP_ON_ITEMS',
      settings: { items: '{{trigger.rows}}' },
      firstLoopAction: code('step_2'),
    };
    const { nodes, edges } = layoutFlow(flowOf(loop));
    expect(nodes.some((n) => n.id === 'frame:step_1')).toBe(true);
    expect(edges.find((e) => e.target === 'step_2')?.data?.add).toEqual({
      parentStep: 'step_1',
      stepLocationRelativeToParent: 'INSIDE_LOOP',
    });
  });

  it('lays out 500 steps in a few milliseconds', () => {
    let first: Action | undefined;
    for (let i = 500; i >= 1; i--) first = code(`step_${i}`, first);
    const flow = flowOf(first);
    layoutFlow(flow);
    const started = performance.now();
    const { nodes } = layoutFlow(flow);
    expect(nodes).toHaveLength(502);
    expect(performance.now() - started).toBeLessThan(50);
  });
});

describe('drop places', () => {
  it('offers each "+" as a place to drop a card, but not the slot the step already has', () => {
    const { nodes, edges } = layoutFlow(flowOf(code('step_1', code('step_2', code('step_3')))));
    const places = dropPlacesOf(nodes, edges);
    const afterStep1 = places.find((p) => p.place.parentStep === 'step_1');
    if (!afterStep1) throw new Error('no "+" after step_1');
    // step_2 sits right after step_1: dropping it there changes nothing.
    expect(nearestDrop(places, 'step_2', afterStep1.x, afterStep1.y)).toBeUndefined();
    expect(nearestDrop(places, 'step_3', afterStep1.x, afterStep1.y)?.place).toEqual({
      parentStep: 'step_1',
      stepLocationRelativeToParent: 'AFTER',
    });
    expect(nearestDrop(places, 'step_3', afterStep1.x + 500, afterStep1.y)).toBeUndefined();
  });
});

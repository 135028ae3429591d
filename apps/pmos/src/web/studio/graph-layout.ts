import type { Action, Flow, FlowStep, StepLocationRelativeToParent } from '@pmos/flow';
import type { Edge, Node } from '@xyflow/react';

/** Where a "+" adds a step: the words of ADD_ACTION. */
export interface AddPlace {
  parentStep: string;
  stepLocationRelativeToParent: StepLocationRelativeToParent;
  branchIndex?: number;
}

export type StudioNodeData =
  | { kind: 'step'; step: FlowStep; index: number }
  | { kind: 'placeholder'; add: AddPlace; label: string }
  | { kind: 'junction' }
  | { kind: 'end' }
  | { kind: 'frame'; loop: string };

export interface StudioEdgeData extends Record<string, unknown> {
  /** The "+" on this edge adds a step here; none on read-only canvases or into placeholders. */
  add?: AddPlace;
  /** A router branch's name. */
  label?: string;
  /** Where the "+" sits: in the middle, or near the end for branch starts and branch ends. */
  buttonAt: 'middle' | 'source' | 'target';
}

export type StudioNode = Node<StudioNodeData & Record<string, unknown>>;
export type StudioEdge = Edge<StudioEdgeData>;

export const cardWidth = 280;
export const cardHeight = 72;
const placeholderWidth = 220;
const placeholderHeight = 48;
const vGap = 64;
const routerGap = 96;
const hGap = 48;
const framePad = 24;

interface Size {
  w: number;
  h: number;
}

/**
 * Lays the flow document out as a top-down tree, in one pass over the steps: a chain is a
 * column, a loop's body sits in a frame below it, a router's branches stand side by side and
 * join again below. Linear in the number of steps (a 500-step flow lays out in a few ms),
 * which a general graph layout (dagre) is not, and the tree's shape is known anyway.
 */
export function layoutFlow(flow: Flow): { nodes: StudioNode[]; edges: StudioEdge[] } {
  const nodes: StudioNode[] = [];
  const edges: StudioEdge[] = [];
  const sizes = new Map<string, Size>();
  let index = 0;

  const stepSize = (step: Action): Size => {
    const known = sizes.get(step.name);
    if (known) return known;
    let size: Size;
    if (step.type === 'LOOP_ON_ITEMS') {
      const body = chainSize(step.firstLoopAction);
      size = {
        w: Math.max(cardWidth, body.w + 2 * framePad),
        h: cardHeight + vGap + body.h + vGap,
      };
    } else if (step.type === 'ROUTER') {
      const branches = step.children.map((child) => chainSize(child ?? undefined));
      const width = branches.reduce((sum, b) => sum + b.w, 0) + hGap * (branches.length - 1);
      const height = Math.max(...branches.map((b) => b.h));
      size = { w: Math.max(cardWidth, width), h: cardHeight + routerGap + height + vGap };
    } else {
      size = { w: cardWidth, h: cardHeight };
    }
    sizes.set(step.name, size);
    return size;
  };

  const chainSize = (first: Action | undefined): Size => {
    if (!first) return { w: placeholderWidth, h: placeholderHeight };
    let w = 0;
    let h = -vGap;
    for (let step: Action | undefined = first; step; step = step.nextAction) {
      const size = stepSize(step);
      w = Math.max(w, size.w);
      h += size.h + vGap;
    }
    return { w, h };
  };

  const addEdge = (source: string, target: string, data: StudioEdgeData) => {
    edges.push({ id: `${source}->${target}`, source, target, type: 'studio', data });
  };

  const card = (step: FlowStep, cx: number, y: number) => {
    nodes.push({
      id: step.name,
      type: 'step',
      position: { x: cx - cardWidth / 2, y },
      width: cardWidth,
      height: cardHeight,
      data: { kind: 'step', step, index: index++ },
    });
  };

  const point = (id: string, cx: number, y: number) => {
    nodes.push({
      id,
      type: 'junction',
      position: { x: cx - 1, y },
      width: 2,
      height: 2,
      selectable: false,
      focusable: false,
      data: { kind: 'junction' },
    });
  };

  interface Entry {
    source: string;
    add: AddPlace | undefined;
    label?: string;
    buttonAt: StudioEdgeData['buttonAt'];
  }

  /** Places a chain from its top centre; answers what the next edge leaves from. */
  const placeChain = (
    first: Action | undefined,
    cx: number,
    top: number,
    entry: Entry,
    placeholderLabel: string,
  ): Entry => {
    if (!first) {
      const add = entry.add as AddPlace;
      const id = `empty:${add.parentStep}:${add.stepLocationRelativeToParent}:${add.branchIndex ?? 0}`;
      nodes.push({
        id,
        type: 'placeholder',
        position: { x: cx - placeholderWidth / 2, y: top },
        width: placeholderWidth,
        height: placeholderHeight,
        data: { kind: 'placeholder', add, label: placeholderLabel },
      });
      addEdge(entry.source, id, {
        buttonAt: 'target',
        ...(entry.label ? { label: entry.label } : {}),
      });
      return { source: id, add: undefined, buttonAt: 'source' };
    }
    let from = entry;
    let y = top;
    for (let step: Action | undefined = first; step; step = step.nextAction) {
      const size = stepSize(step);
      card(step, cx, y);
      addEdge(from.source, step.name, {
        buttonAt: from.buttonAt,
        ...(from.add ? { add: from.add } : {}),
        ...(from.label ? { label: from.label } : {}),
      });
      if (step.type === 'LOOP_ON_ITEMS') {
        const joinY = y + size.h;
        nodes.push({
          id: `frame:${step.name}`,
          type: 'frame',
          position: { x: cx - size.w / 2, y: y + cardHeight / 2 },
          width: size.w,
          height: joinY - y - cardHeight / 2,
          zIndex: -1,
          selectable: false,
          focusable: false,
          data: { kind: 'frame', loop: step.name },
        });
        const exit = placeChain(
          step.firstLoopAction,
          cx,
          y + cardHeight + vGap,
          {
            source: step.name,
            add: { parentStep: step.name, stepLocationRelativeToParent: 'INSIDE_LOOP' },
            buttonAt: 'middle',
          },
          'Add a step to repeat for each item',
        );
        const join = `join:${step.name}`;
        point(join, cx, joinY);
        addEdge(exit.source, join, {
          buttonAt: 'source',
          ...(exit.add ? { add: exit.add } : {}),
        });
        from = {
          source: join,
          add: { parentStep: step.name, stepLocationRelativeToParent: 'AFTER' },
          buttonAt: 'middle',
        };
      } else if (step.type === 'ROUTER') {
        const branchTop = y + cardHeight + routerGap;
        const widths = step.children.map((child) => chainSize(child ?? undefined).w);
        const total = widths.reduce((sum, w) => sum + w, 0) + hGap * (widths.length - 1);
        let left = cx - total / 2;
        const join = `join:${step.name}`;
        const joinY = y + size.h;
        const exits: Entry[] = [];
        step.children.forEach((child, branchIndex) => {
          const width = widths[branchIndex] ?? cardWidth;
          const branch = step.settings.branches[branchIndex];
          exits.push(
            placeChain(
              child ?? undefined,
              left + width / 2,
              branchTop,
              {
                source: step.name,
                add: {
                  parentStep: step.name,
                  stepLocationRelativeToParent: 'INSIDE_BRANCH',
                  branchIndex,
                },
                label: branch?.branchName ?? `Branch ${branchIndex + 1}`,
                buttonAt: 'target',
              },
              'Add a step to this branch',
            ),
          );
          left += width + hGap;
        });
        point(join, cx, joinY);
        for (const exit of exits) {
          addEdge(exit.source, join, {
            buttonAt: 'source',
            ...(exit.add ? { add: exit.add } : {}),
          });
        }
        from = {
          source: join,
          add: { parentStep: step.name, stepLocationRelativeToParent: 'AFTER' },
          buttonAt: 'middle',
        };
      } else {
        from = {
          source: step.name,
          add: { parentStep: step.name, stepLocationRelativeToParent: 'AFTER' },
          buttonAt: 'middle',
        };
      }
      y += size.h + vGap;
    }
    return from;
  };

  const trigger = flow.trigger;
  card(trigger, 0, 0);
  const first: Entry = {
    source: trigger.name,
    add: { parentStep: trigger.name, stepLocationRelativeToParent: 'AFTER' },
    buttonAt: 'middle',
  };
  const exit = trigger.nextAction
    ? placeChain(trigger.nextAction, 0, cardHeight + vGap, first, '')
    : first;
  const last = nodes.reduce((bottom, n) => Math.max(bottom, n.position.y + (n.height ?? 0)), 0);
  nodes.push({
    id: 'end',
    type: 'end',
    position: { x: -40, y: last + vGap },
    width: 80,
    height: 28,
    selectable: false,
    focusable: false,
    data: { kind: 'end' },
  });
  addEdge(exit.source, 'end', { buttonAt: 'middle', ...(exit.add ? { add: exit.add } : {}) });
  return { nodes, edges };
}

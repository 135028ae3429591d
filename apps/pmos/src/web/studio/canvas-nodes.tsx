import {
  BaseEdge,
  EdgeLabelRenderer,
  type EdgeProps,
  getSmoothStepPath,
  Handle,
  type NodeProps,
  Position,
} from '@xyflow/react';
import { memo } from 'react';
import { PlusIcon } from '../common/icons.js';
import { useCanvas } from './canvas-context.js';
import { summarizeStep } from './catalog.js';
import { placeKey } from './drop-places.js';
import type { AddPlace, StudioEdge, StudioNode } from './graph-layout.js';
import { StepCard } from './step-card.js';

// Edges attach to invisible handles; nothing on the canvas is connected by hand.
function Handles() {
  return (
    <>
      <Handle
        type="target"
        position={Position.Top}
        isConnectable={false}
        className="studio-handle"
      />
      <Handle
        type="source"
        position={Position.Bottom}
        isConnectable={false}
        className="studio-handle"
      />
    </>
  );
}

export const StepNode = memo(function StepNode({ data }: NodeProps<StudioNode>) {
  const canvas = useCanvas();
  if (data.kind !== 'step') return null;
  const { step } = data;
  const summary = summarizeStep(canvas.catalog, step);
  return (
    <>
      <Handles />
      <StepCard
        step={step}
        subtitle={summary.subtitle}
        pluginId={summary.pluginId}
        pluginName={summary.pluginName}
        problems={(canvas.problems.get(step.name) ?? []).map((p) => p.message)}
        selected={canvas.selected === step.name}
        highlighted={canvas.highlighted.has(step.name)}
        changeNote={canvas.changeNotes?.get(step.name)}
        testStatus={canvas.testStatuses.get(step.name)}
        onSelect={() => canvas.onSelect(step.name)}
        onNavigate={canvas.onNavigate ? (d) => canvas.onNavigate?.(step.name, d) : undefined}
        onAddAfter={
          canvas.readOnly
            ? undefined
            : () =>
                canvas.onAdd(
                  { parentStep: step.name, stepLocationRelativeToParent: 'AFTER' },
                  step.name,
                )
        }
        onStartMove={
          canvas.readOnly || step.name === 'trigger' || !canvas.onStartMove
            ? undefined
            : () => canvas.onStartMove?.(step.name)
        }
      />
    </>
  );
});

export const PlaceholderNode = memo(function PlaceholderNode({ data }: NodeProps<StudioNode>) {
  const canvas = useCanvas();
  if (data.kind !== 'placeholder') return null;
  return (
    <>
      <Handles />
      {canvas.readOnly ? (
        <div className="studio-placeholder">Empty</div>
      ) : (
        <button
          type="button"
          className={`studio-placeholder${canvas.dropTarget === placeKey(data.add) ? ' is-drop-target' : ''}`}
          aria-label={addLabel(data.add, canvas.displayNames)}
          onClick={() => canvas.onAdd(data.add, data.add.parentStep)}
        >
          <PlusIcon /> {data.label}
        </button>
      )}
    </>
  );
});

export const JunctionNode = memo(function JunctionNode() {
  return <Handles />;
});

export const EndNode = memo(function EndNode() {
  return (
    <>
      <Handles />
      <div className="studio-end">End</div>
    </>
  );
});

export const FrameNode = memo(function FrameNode() {
  return <div className="studio-frame" aria-hidden="true" />;
});

export function addLabel(add: AddPlace, names: ReadonlyMap<string, string>): string {
  const parent = names.get(add.parentStep) ?? add.parentStep;
  switch (add.stepLocationRelativeToParent) {
    case 'INSIDE_LOOP':
      return `Add a step inside the loop ${parent}`;
    case 'INSIDE_BRANCH':
      return `Add a step to branch ${(add.branchIndex ?? 0) + 1} of ${parent}`;
    default:
      return `Add a step after ${parent}`;
  }
}

/** A smooth-step edge with its "+" (and a router branch's name). */
export const StudioEdgeView = memo(function StudioEdgeView(props: EdgeProps<StudioEdge>) {
  const canvas = useCanvas();
  const { sourceX, sourceY, targetX, targetY, data } = props;
  const [path, midX, midY] = getSmoothStepPath({
    sourceX,
    sourceY,
    targetX,
    targetY,
    sourcePosition: Position.Bottom,
    targetPosition: Position.Top,
    borderRadius: 12,
  });
  const at = data?.buttonAt ?? 'middle';
  const x = at === 'middle' ? midX : at === 'source' ? sourceX : targetX;
  const y = at === 'middle' ? midY : at === 'source' ? sourceY + 26 : targetY - 26;
  const add = canvas.readOnly ? undefined : data?.add;
  const dropping = add !== undefined && canvas.dropTarget === placeKey(add);
  return (
    <>
      <BaseEdge id={props.id} path={path} className="studio-edge" />
      {add || data?.label ? (
        <EdgeLabelRenderer>
          <div
            className="studio-edge-label nodrag nopan"
            style={{ transform: `translate(-50%, -50%) translate(${x}px, ${y}px)` }}
          >
            {data?.label ? <span className="studio-branch-name">{data.label}</span> : null}
            {add ? (
              <button
                type="button"
                className={`studio-add${dropping ? ' is-drop-target' : ''}`}
                aria-label={addLabel(add, canvas.displayNames)}
                title="Add a step"
                onClick={() => canvas.onAdd(add, add.parentStep)}
              >
                <PlusIcon width={14} height={14} />
              </button>
            ) : null}
          </div>
        </EdgeLabelRenderer>
      ) : null}
    </>
  );
});

export const nodeTypes = {
  step: StepNode,
  placeholder: PlaceholderNode,
  junction: JunctionNode,
  end: EndNode,
  frame: FrameNode,
};

export const edgeTypes = { studio: StudioEdgeView };

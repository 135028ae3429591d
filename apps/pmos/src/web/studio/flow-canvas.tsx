import '@xyflow/react/dist/style.css';
import type { Flow } from '@pmos/flow';
import {
  applyNodeChanges,
  Background,
  Controls,
  MiniMap,
  type NodeChange,
  ReactFlow,
  ReactFlowProvider,
  useNodesState,
  useReactFlow,
} from '@xyflow/react';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { CanvasContext, type CanvasState } from './canvas-context.js';
import { edgeTypes, nodeTypes } from './canvas-nodes.js';
import { dropPlacesOf, nearestDrop, placeKey } from './drop-places.js';
import { cardHeight, cardWidth, layoutFlow, type StudioNode } from './graph-layout.js';

/** Above this many nodes only what is in view is rendered (a 500-step flow stays instant). */
const renderAllBelow = 150;
/** Up to this many steps the whole flow is fitted into view; longer ones open at the top. */
const fitBelow = 25;

export interface FlowCanvasProps extends Omit<CanvasState, 'displayNames' | 'dropTarget'> {
  document: Flow;
  /** A label for the canvas region, e.g. the flow's name. */
  label: string;
}

/** The flow as a tree of cards, laid out from the document; pan, zoom, fit and a minimap. */
export function FlowCanvas(props: FlowCanvasProps) {
  return (
    <ReactFlowProvider>
      <Canvas {...props} />
    </ReactFlowProvider>
  );
}

function Canvas({ document, label, ...state }: FlowCanvasProps) {
  const { nodes, edges } = useMemo(() => layoutFlow(document), [document]);
  const canDrag = !state.readOnly && state.onMove !== undefined;
  // Cards of actions can be dragged onto a "+" to move the step there (the trigger stays).
  const laidOut = useMemo(
    () =>
      nodes.map((n) => ({ ...n, draggable: canDrag && n.type === 'step' && n.id !== 'trigger' })),
    [nodes, canDrag],
  );
  const [shownNodes, setShownNodes] = useNodesState(laidOut);
  // Only drags move cards here: measuring and selection changes would re-render every node.
  const onNodesChange = useCallback(
    (changes: NodeChange<StudioNode>[]) => {
      const moves = changes.filter((c) => c.type === 'position');
      if (moves.length > 0) setShownNodes((current) => applyNodeChanges(moves, current));
    },
    [setShownNodes],
  );
  useEffect(() => setShownNodes(laidOut), [laidOut, setShownNodes]);
  const places = useMemo(() => dropPlacesOf(nodes, edges), [nodes, edges]);
  const [dropTarget, setDropTarget] = useState<string | null>(null);
  const dropAt = (node: StudioNode) =>
    nearestDrop(places, node.id, node.position.x + cardWidth / 2, node.position.y + cardHeight / 2);
  const displayNames = useMemo(() => {
    const names = new Map<string, string>();
    for (const node of nodes)
      if (node.data.kind === 'step') names.set(node.id, node.data.step.displayName);
    return names;
  }, [nodes]);
  const context: CanvasState = { ...state, displayNames, dropTarget };
  // A step the agent just added or changed is brought into view.
  const firstChanged = state.changeNotes?.keys().next().value ?? null;
  const stepCount = displayNames.size;
  const showMinimap = useWhenIdle();
  return (
    <CanvasContext.Provider value={context}>
      <section className="studio-canvas" aria-label={`Canvas of ${label}`}>
        <ReactFlow
          nodes={shownNodes}
          edges={edges}
          onNodesChange={onNodesChange}
          nodeDragThreshold={6}
          onNodeDrag={(_, node) => {
            const drop = dropAt(node as StudioNode);
            setDropTarget(drop ? placeKey(drop.place) : null);
          }}
          onNodeDragStop={(_, node) => {
            const drop = dropAt(node as StudioNode);
            setDropTarget(null);
            if (drop && state.onMove) state.onMove(node.id, drop.place);
            // The layout decides where cards stand: a drop elsewhere snaps back.
            setShownNodes(laidOut);
          }}
          nodeTypes={nodeTypes}
          edgeTypes={edgeTypes}
          nodesConnectable={false}
          // Only steps and placeholders take pointer events (selection itself is the Studio's).
          multiSelectionKeyCode={null}
          selectionKeyCode={null}
          nodesFocusable={false}
          edgesFocusable={false}
          onlyRenderVisibleElements={nodes.length > renderAllBelow}
          minZoom={0.1}
          maxZoom={1.5}
          panOnScroll
          zoomOnDoubleClick={false}
          deleteKeyCode={null}
          proOptions={{ hideAttribution: false }}
        >
          <InitialView nodes={nodes} fit={stepCount <= fitBelow} />
          <FollowSelection selected={state.selected} nodes={nodes} />
          <FollowSelection selected={firstChanged} nodes={nodes} />
          <KeepCentreOnResize />
          <Background gap={20} size={1} />
          <Controls showInteractive={false} position="bottom-left" />
          {/* The minimap draws every node: it comes once the canvas is usable. */}
          {showMinimap ? (
            <MiniMap
              pannable
              zoomable
              position="bottom-right"
              ariaLabel="Minimap of the flow"
              style={{ width: 160, height: 110 }}
              nodeColor={(node) => (node.type === 'step' ? '#a5acec' : 'transparent')}
              nodeStrokeWidth={0}
            />
          ) : null}
        </ReactFlow>
        {/* Shown while a card has focus; screen readers get the same from aria-keyshortcuts. */}
        <p className="studio-canvas-keys" aria-hidden="true">
          <kbd>↑</kbd> <kbd>↓</kbd> previous or next step
          {state.readOnly ? null : (
            <>
              {' '}
              · <kbd>A</kbd> add a step after · <kbd>M</kbd> move the step
            </>
          )}
        </p>
      </section>
    </CanvasContext.Provider>
  );
}

/** Fits a short flow into view; opens a long one at its trigger, at full size. */
function InitialView({ nodes, fit }: { nodes: StudioNode[]; fit: boolean }) {
  const flow = useReactFlow();
  const done = useRef(false);
  useEffect(() => {
    if (done.current || nodes.length === 0) return;
    done.current = true;
    if (fit) {
      void flow.fitView({ maxZoom: 1, padding: 0.2 });
    } else {
      void flow.setCenter(0, cardHeight * 3, { zoom: 1 });
    }
  }, [flow, nodes, fit]);
  return null;
}

/**
 * Keeps the selected step in view when it is chosen from outside the canvas (e.g. a test), or
 * when an edit moves it (e.g. Move…).
 */
function FollowSelection({ selected, nodes }: { selected: string | null; nodes: StudioNode[] }) {
  const flow = useReactFlow();
  const last = useRef<string | null>(null);
  useEffect(() => {
    const node = selected ? nodes.find((n) => n.id === selected) : undefined;
    const at = node ? `${node.id}@${node.position.x},${node.position.y}` : null;
    if (!node || last.current === at) return;
    last.current = at;
    const { x, y, zoom } = flow.getViewport();
    const bounds = window.document.querySelector('.studio-canvas')?.getBoundingClientRect();
    if (!bounds) return;
    const left = node.position.x * zoom + x;
    const top = node.position.y * zoom + y;
    // The minimap and controls take the bottom corners: a card there counts as out of view.
    const inView = left > 0 && top > 0 && left < bounds.width - 300 && top < bounds.height - 180;
    if (!inView) void flow.setCenter(node.position.x + 140, node.position.y + 36, { zoom });
  }, [flow, selected, nodes]);
  return null;
}

/** Opening or closing the side panel resizes the canvas: keep what was in its middle there. */
function KeepCentreOnResize() {
  const flow = useReactFlow();
  useEffect(() => {
    const element = window.document.querySelector('.studio-canvas');
    if (!element) return;
    let width = element.getBoundingClientRect().width;
    const observer = new ResizeObserver(([entry]) => {
      const next = entry?.contentRect.width ?? width;
      if (next === width) return;
      const { x, y, zoom } = flow.getViewport();
      void flow.setViewport({ x: x + (next - width) / 2, y, zoom });
      width = next;
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, [flow]);
  return null;
}

/** True once the browser has been idle after the first render (or after a second at most). */
function useWhenIdle(): boolean {
  const [idle, setIdle] = useState(false);
  useEffect(() => {
    if (typeof window.requestIdleCallback !== 'function') {
      const timer = setTimeout(() => setIdle(true), 200);
      return () => clearTimeout(timer);
    }
    const handle = window.requestIdleCallback(() => setIdle(true), { timeout: 1000 });
    return () => window.cancelIdleCallback(handle);
  }, []);
  return idle;
}

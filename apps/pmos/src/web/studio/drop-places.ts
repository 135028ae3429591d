import type { AddPlace, StudioEdge, StudioNode } from './graph-layout.js';

/** Where a dragged step can land: the "+" of each edge and of each empty branch or loop. */
export interface DropPlace {
  place: AddPlace;
  x: number;
  y: number;
  /** The step whose slot this is now (dropping a step on its own slot changes nothing). */
  occupiedBy?: string;
}

export const placeKey = (place: AddPlace) =>
  `${place.parentStep}|${place.stepLocationRelativeToParent}|${place.branchIndex ?? ''}`;

/** The drop places of a laid-out flow, at the positions their "+" buttons are drawn. */
export function dropPlacesOf(
  nodes: readonly StudioNode[],
  edges: readonly StudioEdge[],
): DropPlace[] {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const places: DropPlace[] = [];
  for (const edge of edges) {
    const add = edge.data?.add;
    const source = byId.get(edge.source);
    const target = byId.get(edge.target);
    if (!add || !source || !target) continue;
    const sx = source.position.x + (source.width ?? 0) / 2;
    const sy = source.position.y + (source.height ?? 0);
    const tx = target.position.x + (target.width ?? 0) / 2;
    const ty = target.position.y;
    const at = edge.data?.buttonAt ?? 'middle';
    const [x, y] =
      at === 'middle'
        ? [(sx + tx) / 2, (sy + ty) / 2]
        : at === 'source'
          ? [sx, sy + 26]
          : [tx, ty - 26];
    places.push({ place: add, x, y, ...(target.type === 'step' ? { occupiedBy: target.id } : {}) });
  }
  for (const node of nodes) {
    if (node.data.kind !== 'placeholder') continue;
    places.push({
      place: node.data.add,
      x: node.position.x + (node.width ?? 0) / 2,
      y: node.position.y + (node.height ?? 0) / 2,
    });
  }
  return places;
}

/** Whether putting the step at this place would move it (not into itself, not where it is). */
export const movesTo = (candidate: DropPlace, stepName: string) =>
  candidate.place.parentStep !== stepName && candidate.occupiedBy !== stepName;

/** The drop place nearest a dragged card's centre, if one is close enough and would move it. */
export function nearestDrop(
  places: readonly DropPlace[],
  stepName: string,
  x: number,
  y: number,
  within = 90,
): DropPlace | undefined {
  let best: DropPlace | undefined;
  let bestDistance = within;
  for (const candidate of places) {
    if (!movesTo(candidate, stepName)) continue;
    const distance = Math.hypot(candidate.x - x, candidate.y - y);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

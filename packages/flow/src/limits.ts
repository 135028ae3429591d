/**
 * Bounds on one flow document. They keep the reducer, the validators and the engine's
 * recursion far from stack and memory limits, and a canvas readable.
 */
export const flowLimits = {
  /** Actions in the whole tree (the trigger not counted). */
  maxSteps: 500,
  /** How many loops and routers a step may sit inside. */
  maxDepth: 30,
  /** Branches of one router, the fallback included. */
  maxBranches: 50,
} as const;

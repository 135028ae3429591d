import type { RouterBranch } from '../schema/condition.js';
import type { RouterAction } from '../schema/steps.js';
import type { TemplateContext } from '../template/resolve.js';
import { evaluateCondition } from './evaluate.js';

export type RouterExecutionType = RouterAction['settings']['executionType'];

/**
 * Whether a CONDITION branch matches: some group (outer array) has all its conditions true.
 * As in Activepieces, an empty group holds (all of nothing is true) while a branch with no
 * groups never matches (any of nothing is false). A FALLBACK branch does not match by itself:
 * `selectBranches` runs it when nothing else matches.
 */
export function branchMatches(branch: RouterBranch, context: TemplateContext): boolean {
  if (branch.branchType !== 'CONDITION') return false;
  return branch.conditions.some((group) =>
    group.every((condition) => evaluateCondition(condition, context)),
  );
}

/**
 * The indexes of the branches a router runs, in order: the first matching CONDITION branch
 * (EXECUTE_FIRST_MATCH) or every one (EXECUTE_ALL_MATCH); when none matches, the FALLBACK
 * branch. A router without a fallback (an invalid document) then runs nothing.
 */
export function selectBranches(
  settings: {
    readonly branches: readonly RouterBranch[];
    readonly executionType: RouterExecutionType;
  },
  context: TemplateContext,
): number[] {
  const matching: number[] = [];
  for (const [index, branch] of settings.branches.entries()) {
    if (!branchMatches(branch, context)) continue;
    matching.push(index);
    if (settings.executionType !== 'EXECUTE_ALL_MATCH') break;
  }
  if (matching.length > 0) return matching;
  const fallback = settings.branches.findIndex((branch) => branch.branchType === 'FALLBACK');
  return fallback < 0 ? [] : [fallback];
}

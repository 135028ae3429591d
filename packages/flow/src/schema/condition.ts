import { z } from 'zod';

/** Router condition operators, as Activepieces names them. */
export const conditionOperators = [
  'TEXT_CONTAINS',
  'TEXT_DOES_NOT_CONTAIN',
  'TEXT_EXACTLY_MATCHES',
  'TEXT_DOES_NOT_EXACTLY_MATCH',
  'TEXT_STARTS_WITH',
  'TEXT_ENDS_WITH',
  'TEXT_MATCHES_REGEX',
  'NUMBER_IS_GREATER_THAN',
  'NUMBER_IS_LESS_THAN',
  'NUMBER_IS_EQUAL_TO',
  'BOOLEAN_IS_TRUE',
  'BOOLEAN_IS_FALSE',
  'DATE_IS_BEFORE',
  'DATE_IS_AFTER',
  'EXISTS',
  'DOES_NOT_EXIST',
  'LIST_CONTAINS',
  'LIST_DOES_NOT_CONTAIN',
  'LIST_IS_EMPTY',
  'LIST_IS_NOT_EMPTY',
] as const;

export type ConditionOperator = (typeof conditionOperators)[number];

const singleValueOperators: ReadonlySet<ConditionOperator> = new Set([
  'BOOLEAN_IS_TRUE',
  'BOOLEAN_IS_FALSE',
  'EXISTS',
  'DOES_NOT_EXIST',
  'LIST_IS_EMPTY',
  'LIST_IS_NOT_EMPTY',
]);

/** Whether the operator compares `firstValue` with a `secondValue` (forms show a second field). */
export function conditionTakesSecondValue(operator: ConditionOperator): boolean {
  return !singleValueOperators.has(operator);
}

/** One test; a branch matches when any group (outer array) has all its conditions true. */
export const conditionSchema = z.object({
  firstValue: z.string(),
  operator: z.enum(conditionOperators),
  secondValue: z.string().optional(),
  caseSensitive: z.boolean().optional(),
});

export type Condition = z.infer<typeof conditionSchema>;

export const conditionBranchSchema = z.object({
  branchType: z.literal('CONDITION'),
  branchName: z.string().min(1).max(200),
  conditions: z.array(z.array(conditionSchema)),
});

export const fallbackBranchSchema = z.object({
  branchType: z.literal('FALLBACK'),
  branchName: z.string().min(1).max(200),
});

export const routerBranchSchema = z.discriminatedUnion('branchType', [
  conditionBranchSchema,
  fallbackBranchSchema,
]);

export type RouterBranch = z.infer<typeof routerBranchSchema>;
export type ConditionBranch = z.infer<typeof conditionBranchSchema>;

/** The fallback rule, shared by the schema and `checkFlow`. */
export function fallbackProblem(branches: readonly RouterBranch[]): string | null {
  const fallbacks = branches.filter((b) => b.branchType === 'FALLBACK').length;
  if (fallbacks === 0) return 'A router needs a FALLBACK branch, as its last branch';
  if (fallbacks > 1) return `A router has ${fallbacks} FALLBACK branches; it needs exactly one`;
  if (branches.at(-1)?.branchType !== 'FALLBACK') {
    return "The FALLBACK branch must be the router's last branch";
  }
  return null;
}

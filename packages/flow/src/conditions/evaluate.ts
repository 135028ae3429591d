import type { Condition, ConditionOperator } from '../schema/condition.js';
import { resolveTemplate, type TemplateContext } from '../template/resolve.js';
import { readBoolean, readList, readNumber, readText, readTime } from './values.js';

/**
 * Whether one router condition holds. Both values are resolved first (a value that is exactly
 * one `{{ref}}` is the referenced value itself), then the operator reads them:
 * - TEXT_*: both sides as text (see `readText`: null and missing are ''), lower-cased unless
 *   `caseSensitive`; a missing `secondValue` is ''. So "contains ''" holds, as in JavaScript.
 * - TEXT_MATCHES_REGEX: `secondValue` is the pattern, without slashes or flags; `i` is added
 *   unless `caseSensitive`. An invalid pattern is false.
 * - NUMBER_*: both sides must be numbers or decimal strings (see `readNumber`), else false.
 * - BOOLEAN_IS_TRUE / BOOLEAN_IS_FALSE: true/false or "true"/"false" (any case); any other
 *   value (0, 1, '', null, "yes") is neither, so both operators are false for it.
 * - DATE_IS_BEFORE / DATE_IS_AFTER: both sides must be dates (see `readTime`), else false;
 *   equal moments are neither before nor after.
 * - EXISTS / DOES_NOT_EXIST: undefined, null and '' do not exist; anything else (0, false,
 *   [], {}, ' ') does.
 * - LIST_*: `firstValue` must be a list (see `readList`: an array, a JSON-array string, or
 *   null/missing/'' as the empty list); for anything else all four operators are false.
 *   LIST_CONTAINS compares each item as text with `secondValue`, like TEXT_EXACTLY_MATCHES.
 * An operator this version does not know is false. Nothing here throws.
 */
export function evaluateCondition(condition: Condition, context: TemplateContext): boolean {
  const first = resolveOperand(condition.firstValue, context);
  const second = resolveOperand(condition.secondValue, context);
  return applyOperator(condition.operator, first, second, condition.caseSensitive === true);
}

function resolveOperand(value: string | undefined, context: TemplateContext): unknown {
  if (value === undefined) return undefined;
  try {
    return resolveTemplate(value, context);
  } catch {
    // Only a value that is not JSON (a cycle, a BigInt in an object) cannot be interpolated.
    return undefined;
  }
}

function applyOperator(
  operator: ConditionOperator,
  first: unknown,
  second: unknown,
  caseSensitive: boolean,
): boolean {
  const text = (value: unknown) => {
    const written = readText(value);
    return caseSensitive ? written : written.toLowerCase();
  };
  switch (operator) {
    case 'TEXT_CONTAINS':
      return text(first).includes(text(second));
    case 'TEXT_DOES_NOT_CONTAIN':
      return !text(first).includes(text(second));
    case 'TEXT_EXACTLY_MATCHES':
      return text(first) === text(second);
    case 'TEXT_DOES_NOT_EXACTLY_MATCH':
      return text(first) !== text(second);
    case 'TEXT_STARTS_WITH':
      return text(first).startsWith(text(second));
    case 'TEXT_ENDS_WITH':
      return text(first).endsWith(text(second));
    case 'TEXT_MATCHES_REGEX':
      return matchesPattern(readText(first), readText(second), caseSensitive);
    case 'NUMBER_IS_GREATER_THAN':
      return compareNumbers(first, second, (a, b) => a > b);
    case 'NUMBER_IS_LESS_THAN':
      return compareNumbers(first, second, (a, b) => a < b);
    case 'NUMBER_IS_EQUAL_TO':
      return compareNumbers(first, second, (a, b) => a === b);
    case 'BOOLEAN_IS_TRUE':
      return readBoolean(first) === true;
    case 'BOOLEAN_IS_FALSE':
      return readBoolean(first) === false;
    case 'DATE_IS_BEFORE':
      return compareTimes(first, second, (a, b) => a < b);
    case 'DATE_IS_AFTER':
      return compareTimes(first, second, (a, b) => a > b);
    case 'EXISTS':
      return exists(first);
    case 'DOES_NOT_EXIST':
      return !exists(first);
    case 'LIST_CONTAINS':
    case 'LIST_DOES_NOT_CONTAIN': {
      const list = readList(first);
      if (list === undefined) return false;
      const wanted = text(second);
      const found = list.some((item) => text(item) === wanted);
      return operator === 'LIST_CONTAINS' ? found : !found;
    }
    case 'LIST_IS_EMPTY':
      return readList(first)?.length === 0;
    case 'LIST_IS_NOT_EMPTY': {
      const list = readList(first);
      return list !== undefined && list.length > 0;
    }
    default:
      return false;
  }
}

function matchesPattern(text: string, pattern: string, caseSensitive: boolean): boolean {
  let regex: RegExp;
  try {
    regex = new RegExp(pattern, caseSensitive ? '' : 'i');
  } catch {
    return false;
  }
  return regex.test(text);
}

function compareNumbers(
  first: unknown,
  second: unknown,
  compare: (a: number, b: number) => boolean,
): boolean {
  const a = readNumber(first);
  const b = readNumber(second);
  return a !== undefined && b !== undefined && compare(a, b);
}

function compareTimes(
  first: unknown,
  second: unknown,
  compare: (a: number, b: number) => boolean,
): boolean {
  const a = readTime(first);
  const b = readTime(second);
  return a !== undefined && b !== undefined && compare(a, b);
}

function exists(value: unknown): boolean {
  return value !== undefined && value !== null && value !== '';
}

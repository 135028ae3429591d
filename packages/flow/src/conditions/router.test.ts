import { describe, expect, it } from 'vitest';
import type { Condition, RouterBranch } from '../schema/condition.js';
import { branchMatches, type RouterExecutionType, selectBranches } from './router.js';

const context = { trigger: { status: 'paid', amount: 250, country: 'FR' } };

const is = (path: string, value: string): Condition => ({
  firstValue: `{{trigger.${path}}}`,
  operator: 'TEXT_EXACTLY_MATCHES',
  secondValue: value,
});
const paid = is('status', 'paid');
const refunded = is('status', 'refunded');
const french = is('country', 'FR');
const large: Condition = {
  firstValue: '{{trigger.amount}}',
  operator: 'NUMBER_IS_GREATER_THAN',
  secondValue: '100',
};

const when = (branchName: string, conditions: Condition[][]): RouterBranch => ({
  branchType: 'CONDITION',
  branchName,
  conditions,
});
const otherwise: RouterBranch = { branchType: 'FALLBACK', branchName: 'Otherwise' };

describe('branchMatches: any group whose conditions all hold', () => {
  it.each([
    ['one true condition', [[paid]], true],
    ['one false condition', [[refunded]], false],
    ['a group that is all true', [[paid, large, french]], true],
    ['a group with one false condition', [[paid, refunded]], false],
    ['a false group or a true group', [[refunded], [paid, large]], true],
    ['only false groups', [[refunded], [paid, refunded]], false],
    ['no groups at all', [], false],
    ['an empty group (all of nothing holds)', [[]], true],
    ['a false group or an empty group', [[refunded], []], true],
  ] as [string, Condition[][], boolean][])('%s → %s', (_, conditions, expected) => {
    expect(branchMatches(when('B', conditions), context)).toBe(expected);
  });

  it('never matches a FALLBACK branch by itself', () => {
    expect(branchMatches(otherwise, context)).toBe(false);
  });
});

describe('selectBranches', () => {
  const select = (branches: RouterBranch[], executionType: RouterExecutionType) =>
    selectBranches({ branches, executionType }, context);

  describe('EXECUTE_FIRST_MATCH', () => {
    it('runs the first matching branch only', () => {
      const branches = [
        when('A', [[refunded]]),
        when('B', [[paid]]),
        when('C', [[large]]),
        otherwise,
      ];
      expect(select(branches, 'EXECUTE_FIRST_MATCH')).toEqual([1]);
    });

    it('runs the fallback when nothing matches', () => {
      const branches = [when('A', [[refunded]]), when('B', []), otherwise];
      expect(select(branches, 'EXECUTE_FIRST_MATCH')).toEqual([2]);
    });
  });

  describe('EXECUTE_ALL_MATCH', () => {
    it('runs every matching branch in order, without the fallback', () => {
      const branches = [
        when('A', [[paid]]),
        when('B', [[refunded]]),
        when('C', [[large]]),
        otherwise,
      ];
      expect(select(branches, 'EXECUTE_ALL_MATCH')).toEqual([0, 2]);
    });

    it('runs the fallback when nothing matches', () => {
      const branches = [when('A', [[refunded]]), when('B', [[paid, refunded]]), otherwise];
      expect(select(branches, 'EXECUTE_ALL_MATCH')).toEqual([2]);
    });
  });

  it('runs the fallback of a router that has only a fallback', () => {
    expect(select([otherwise], 'EXECUTE_ALL_MATCH')).toEqual([0]);
    expect(select([otherwise], 'EXECUTE_FIRST_MATCH')).toEqual([0]);
  });

  it('runs nothing when nothing matches and there is no fallback (an invalid router)', () => {
    expect(select([when('A', [[refunded]])], 'EXECUTE_FIRST_MATCH')).toEqual([]);
  });
});

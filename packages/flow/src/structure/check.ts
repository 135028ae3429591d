import type { z } from 'zod';
import { flowLimits } from '../limits.js';
import { fallbackProblem } from '../schema/condition.js';
import { type Flow, flowSchema } from '../schema/flow.js';
import { allSteps } from './traverse.js';

export type FlowProblemCode =
  | 'invalid_value'
  | 'duplicate_name'
  | 'router_fallback'
  | 'router_children_mismatch'
  | 'shared_step'
  | 'too_many_steps'
  | 'too_deep'
  | 'too_many_branches';

/** Something that makes a document not a flow; `path` as zod reports it. */
export interface FlowProblem {
  code: FlowProblemCode;
  path: PropertyKey[];
  message: string;
}

/**
 * What the schema cannot say: unique names, one child chain per router branch, the fallback
 * last, and the size limits. An empty list means the document is sound.
 */
export function checkFlow(flow: Flow): FlowProblem[] {
  const problems: FlowProblem[] = [];
  const visits = allSteps(flow);
  const names = new Set<string>();
  let tooDeep = false;
  for (const { step, path, containers } of visits) {
    if (names.has(step.name)) {
      problems.push({
        code: 'duplicate_name',
        path: [...path, 'name'],
        message: `More than one step is named "${step.name}"; names must be unique in a flow`,
      });
    }
    names.add(step.name);
    if (containers.length > flowLimits.maxDepth && !tooDeep) {
      tooDeep = true;
      problems.push(tooDeepProblem(path, step.name, containers.length));
    }
    if (step.type !== 'ROUTER') continue;
    const { branches } = step.settings;
    const fallback = fallbackProblem(branches);
    if (fallback) {
      problems.push({
        code: 'router_fallback',
        path: [...path, 'settings', 'branches'],
        message: `${step.name}: ${fallback}`,
      });
    }
    if (step.children.length !== branches.length) {
      problems.push({
        code: 'router_children_mismatch',
        path: [...path, 'children'],
        message: `${step.name} has ${branches.length} branches but ${step.children.length} child chains; it needs one per branch`,
      });
    }
    if (branches.length > flowLimits.maxBranches) {
      problems.push({
        code: 'too_many_branches',
        path: [...path, 'settings', 'branches'],
        message: `${step.name} has ${branches.length} branches; a router may have at most ${flowLimits.maxBranches}`,
      });
    }
  }
  const actions = visits.length - 1;
  if (actions > flowLimits.maxSteps) problems.push(tooManyStepsProblem(actions));
  return problems;
}

export type ParseFlowResult =
  | { success: true; flow: Flow }
  | { success: false; problems: FlowProblem[] };

/** Reads an untrusted document (an import, a request body): the schema, then `checkFlow`. */
export function parseFlow(value: unknown): ParseFlowResult {
  const early = preflightFlow(value);
  if (early.length) return { success: false, problems: early };
  const parsed = flowSchema.safeParse(value);
  if (!parsed.success) return { success: false, problems: zodProblems(parsed.error) };
  const problems = checkFlow(parsed.data);
  return problems.length ? { success: false, problems } : { success: true, flow: parsed.data };
}

export function zodProblems(error: z.ZodError): FlowProblem[] {
  return error.issues.map((issue) => ({
    code: 'invalid_value',
    path: issue.path,
    message: issue.message,
  }));
}

/** One line for a person: where, then what. */
export function describeProblem(problem: { path: PropertyKey[]; message: string }): string {
  const where = problem.path.map(String).join('.');
  return where ? `${where}: ${problem.message}` : problem.message;
}

/**
 * Counts the steps of a raw document before zod reads it: the schema recurses once per
 * step, so a chain of some thousand steps (or a JavaScript object that contains itself)
 * would exhaust the stack instead of being refused.
 */
export function preflightFlow(value: unknown): FlowProblem[] {
  const trigger = isObject(value) ? value.trigger : undefined;
  if (!isObject(trigger)) return [];
  const seen = new Set<object>();
  const stack: { node: Record<string, unknown>; depth: number; path: PropertyKey[] }[] = [
    { node: trigger, depth: 0, path: ['trigger'] },
  ];
  for (let item = stack.pop(); item; item = stack.pop()) {
    const { node, depth, path } = item;
    if (seen.has(node)) {
      return [
        {
          code: 'shared_step',
          path,
          message: 'The same step object appears twice; a flow document is a tree',
        },
      ];
    }
    seen.add(node);
    if (seen.size - 1 > flowLimits.maxSteps) return [tooManyStepsProblem(null)];
    if (depth > flowLimits.maxDepth) return [tooDeepProblem(path, String(node.name), depth)];
    if (isObject(node.nextAction)) {
      stack.push({ node: node.nextAction, depth, path: [...path, 'nextAction'] });
    }
    if (isObject(node.firstLoopAction)) {
      stack.push({
        node: node.firstLoopAction,
        depth: depth + 1,
        path: [...path, 'firstLoopAction'],
      });
    }
    if (Array.isArray(node.children)) {
      node.children.forEach((child: unknown, i) => {
        if (isObject(child))
          stack.push({ node: child, depth: depth + 1, path: [...path, 'children', i] });
      });
    }
  }
  return [];
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function tooManyStepsProblem(count: number | null): FlowProblem {
  const max = flowLimits.maxSteps;
  return {
    code: 'too_many_steps',
    path: ['trigger'],
    message: `The flow has ${count ?? `more than ${max}`} steps; at most ${max} are allowed`,
  };
}

function tooDeepProblem(path: PropertyKey[], name: string, depth: number): FlowProblem {
  return {
    code: 'too_deep',
    path,
    message: `${name} sits inside ${depth} loops and routers; at most ${flowLimits.maxDepth} may nest`,
  };
}

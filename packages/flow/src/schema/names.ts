import { z } from 'zod';

export const stepNamePattern = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

export const triggerName = 'trigger';

/**
 * Names no action may take: the trigger's, `connections` (the root of connection references in
 * templates) and the prototype keys that templates refuse to follow.
 */
export const reservedStepNames: readonly string[] = [
  triggerName,
  'connections',
  '__proto__',
  'constructor',
  'prototype',
];

export const actionNameSchema = z
  .string()
  .max(100, 'A step name has at most 100 characters')
  .regex(stepNamePattern, 'A step name uses letters, digits and _, and does not start with a digit')
  .refine((name) => !reservedStepNames.includes(name), {
    message: `A step cannot be named ${reservedStepNames.join(', ')}`,
  });

export const displayNameSchema = z
  .string()
  .min(1, 'A display name cannot be empty')
  .max(200, 'A display name has at most 200 characters');

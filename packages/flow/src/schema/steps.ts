import { z } from 'zod';
import { fallbackProblem, routerBranchSchema } from './condition.js';
import { jsonValueSchema } from './json.js';
import { actionNameSchema, displayNameSchema, triggerName } from './names.js';

const idSchema = z.string().min(1, 'Cannot be empty').max(200);

/** Steps pin an exact plugin version (Activepieces does the same since 0.80). */
export const pluginVersionSchema = z
  .string()
  .regex(
    /^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/,
    'An exact version such as 1.2.3 is expected',
  );

/** Prop values by prop name; strings may hold `{{step.path}}` references. */
export const stepInputSchema = z.record(z.string(), jsonValueSchema.optional());

/** MANUAL: the form's value; DYNAMIC: the builder's "switch to dynamic value" toggle. */
export const propertySettingsSchema = z.record(
  z.string(),
  z.object({ type: z.enum(['MANUAL', 'DYNAMIC']), schema: jsonValueSchema.optional() }),
);

export const errorHandlingOptionsSchema = z.object({
  continueOnFailure: z.object({ value: z.boolean() }).optional(),
  retryOnFailure: z.object({ value: z.boolean() }).optional(),
});

export const pluginActionSettingsSchema = z.object({
  pluginId: idSchema,
  connectorId: idSchema,
  actionId: idSchema,
  pluginVersion: pluginVersionSchema,
  /** `input.auth` may hold a connection reference, `{{connections['id']}}`. */
  input: stepInputSchema,
  propertySettings: propertySettingsSchema.optional(),
  errorHandlingOptions: errorHandlingOptionsSchema.optional(),
});

export const codeActionSettingsSchema = z.object({
  sourceCode: z.object({ code: z.string() }),
  input: stepInputSchema,
  errorHandlingOptions: errorHandlingOptionsSchema.optional(),
});

export const loopSettingsSchema = z.object({
  /** A template that yields the list, e.g. `{{step_1.items}}`. */
  items: z.string(),
});

export const routerSettingsSchema = z
  .object({
    branches: z.array(routerBranchSchema).min(1),
    executionType: z.enum(['EXECUTE_FIRST_MATCH', 'EXECUTE_ALL_MATCH']),
  })
  .superRefine((settings, ctx) => {
    const problem = fallbackProblem(settings.branches);
    if (problem) ctx.addIssue({ code: 'custom', message: problem, path: ['branches'] });
  });

// A step without what hangs below it: the body of ADD_ACTION / UPDATE_ACTION requests, and
// (with its children) a node of the document.
const actionBase = {
  name: actionNameSchema,
  displayName: displayNameSchema,
  valid: z.boolean(),
  skip: z.boolean().optional(),
};
const pluginBody = { type: z.literal('PLUGIN'), settings: pluginActionSettingsSchema };
const codeBody = { type: z.literal('CODE'), settings: codeActionSettingsSchema };
const loopBody = { type: z.literal('LOOP_ON_ITEMS'), settings: loopSettingsSchema };
const routerBody = { type: z.literal('ROUTER'), settings: routerSettingsSchema };

const pluginActionBody = z.object({ ...actionBase, ...pluginBody });
const codeActionBody = z.object({ ...actionBase, ...codeBody });
const loopActionBody = z.object({ ...actionBase, ...loopBody });
const routerActionBody = z.object({ ...actionBase, ...routerBody });

// TypeScript cannot infer a type that refers to itself, so the links between steps are
// spelled out here; everything else is inferred from the schemas.
interface Next {
  nextAction?: Action;
}
export type PluginAction = z.infer<typeof pluginActionBody> & Next;
export type CodeAction = z.infer<typeof codeActionBody> & Next;
export type LoopAction = z.infer<typeof loopActionBody> & Next & { firstLoopAction?: Action };
export type RouterAction = z.infer<typeof routerActionBody> &
  Next & {
    /** One chain per branch, in branch order; `null` for an empty branch. */
    children: (Action | null)[];
  };
export type Action = PluginAction | CodeAction | LoopAction | RouterAction;
export type ActionType = Action['type'];

type Lazy<T> = z.ZodType<T>;

export const pluginActionSchema = z.object({
  ...pluginActionBody.shape,
  get nextAction(): z.ZodOptional<Lazy<Action>> {
    return actionSchema.optional();
  },
});

export const codeActionSchema = z.object({
  ...codeActionBody.shape,
  get nextAction(): z.ZodOptional<Lazy<Action>> {
    return actionSchema.optional();
  },
});

export const loopActionSchema = z.object({
  ...loopActionBody.shape,
  get firstLoopAction(): z.ZodOptional<Lazy<Action>> {
    return actionSchema.optional();
  },
  get nextAction(): z.ZodOptional<Lazy<Action>> {
    return actionSchema.optional();
  },
});

export const routerActionSchema = z.object({
  ...routerActionBody.shape,
  get children(): z.ZodArray<z.ZodNullable<Lazy<Action>>> {
    return z.array(actionSchema.nullable());
  },
  get nextAction(): z.ZodOptional<Lazy<Action>> {
    return actionSchema.optional();
  },
});

export const actionSchema: Lazy<Action> = z.discriminatedUnion('type', [
  pluginActionSchema,
  codeActionSchema,
  loopActionSchema,
  routerActionSchema,
]);

/** The four kinds of step over one base (of fields shared by all). */
function bodiesOf<Base extends z.core.$ZodLooseShape>(base: Base) {
  return z.discriminatedUnion('type', [
    z.object({ ...base, ...pluginBody }),
    z.object({ ...base, ...codeBody }),
    z.object({ ...base, ...loopBody }),
    z.object({ ...base, ...routerBody }),
  ]);
}

/** An action as requests carry it: no children, `valid` defaulting to false. */
const requestBase = { ...actionBase, valid: z.boolean().default(false) };
export const actionBodySchema = bodiesOf(requestBase);
export type ActionBody = z.infer<typeof actionBodySchema>;

/** ADD_ACTION's action: the name may be left out, and the first free `step_N` is taken. */
export const newActionSchema = bodiesOf({ ...requestBase, name: actionNameSchema.optional() });
export type NewAction = z.infer<typeof newActionSchema>;

export const pluginTriggerSettingsSchema = z.object({
  pluginId: idSchema,
  connectorId: idSchema,
  triggerId: idSchema,
  pluginVersion: pluginVersionSchema,
  input: stepInputSchema,
  propertySettings: propertySettingsSchema.optional(),
  /** A recorded event, offered by the data selector before the flow has run. */
  sampleData: jsonValueSchema.optional(),
});

const triggerBase = {
  name: z.literal(triggerName),
  displayName: displayNameSchema,
  valid: z.boolean(),
};
const pluginTriggerBody = {
  type: z.literal('PLUGIN_TRIGGER'),
  settings: pluginTriggerSettingsSchema,
};
/** A flow not yet started by anything: settings are kept as given (usually `{}`). */
const emptyTriggerBody = {
  type: z.literal('EMPTY'),
  settings: z.record(z.string(), jsonValueSchema),
};

export const pluginTriggerSchema = z.object({
  ...triggerBase,
  ...pluginTriggerBody,
  get nextAction(): z.ZodOptional<Lazy<Action>> {
    return actionSchema.optional();
  },
});

export const emptyTriggerSchema = z.object({
  ...triggerBase,
  ...emptyTriggerBody,
  get nextAction(): z.ZodOptional<Lazy<Action>> {
    return actionSchema.optional();
  },
});

export const triggerSchema = z.discriminatedUnion('type', [
  pluginTriggerSchema,
  emptyTriggerSchema,
]);

export type PluginTrigger = z.infer<typeof pluginTriggerSchema>;
export type EmptyTrigger = z.infer<typeof emptyTriggerSchema>;
export type Trigger = z.infer<typeof triggerSchema>;

/** UPDATE_TRIGGER's request: the trigger without the chain hanging below it. */
const triggerRequestBase = { ...triggerBase, valid: z.boolean().default(false) };
export const triggerBodySchema = z.discriminatedUnion('type', [
  z.object({ ...triggerRequestBase, ...pluginTriggerBody }),
  z.object({ ...triggerRequestBase, ...emptyTriggerBody }),
]);
export type TriggerBody = z.infer<typeof triggerBodySchema>;

/** Any node of the tree. */
export type FlowStep = Trigger | Action;

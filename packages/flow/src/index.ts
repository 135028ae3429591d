/**
 * @pmos/flow — the pure flow model shared by the server, the web app, chat and the
 * Activepieces plugin: the document schema (the Activepieces FlowVersion shape), the one
 * reducer for every edit, validation against the plugin catalog, and templating. No I/O.
 */
export { evaluateCondition } from './conditions/evaluate.js';
export { type LoopItems, resolveLoopItems } from './conditions/loop.js';
export { branchMatches, type RouterExecutionType, selectBranches } from './conditions/router.js';
export {
  FlowOperationError,
  type FlowOperationErrorCode,
  isFlowOperationError,
} from './errors.js';
export { flowLimits } from './limits.js';
export {
  applyOperation,
  type OperationResult,
  parseFlowOperation,
} from './operations/apply.js';
export {
  changeStatusRequestSchema,
  type FlowDocumentOperation,
  type FlowLifecycleOperation,
  type FlowOperation,
  type FlowOperationInput,
  type FlowOperationType,
  type FlowStatus,
  flowDocumentOperationSchema,
  flowLifecycleOperationSchema,
  flowOperationSchema,
  flowStatusSchema,
  isLifecycleOperation,
  lockAndPublishRequestSchema,
  useAsDraftRequestSchema,
} from './operations/schema.js';
export {
  type Condition,
  type ConditionBranch,
  type ConditionOperator,
  conditionOperators,
  conditionSchema,
  conditionTakesSecondValue,
  type RouterBranch,
  routerBranchSchema,
} from './schema/condition.js';
export { type Flow, type FlowNote, flowNoteSchema, flowSchema } from './schema/flow.js';
export { type JsonValue, jsonValueSchema, maxJsonDepth } from './schema/json.js';
export {
  actionNameSchema,
  reservedStepNames,
  stepNamePattern,
  triggerName,
} from './schema/names.js';
export {
  type Action,
  type ActionBody,
  type ActionType,
  actionBodySchema,
  actionSchema,
  type CodeAction,
  codeActionSchema,
  type EmptyTrigger,
  emptyTriggerSchema,
  type FlowStep,
  type LoopAction,
  loopActionSchema,
  type NewAction,
  newActionSchema,
  type PluginAction,
  type PluginTrigger,
  pluginActionSchema,
  pluginTriggerSchema,
  pluginVersionSchema,
  type RouterAction,
  routerActionSchema,
  type Trigger,
  type TriggerBody,
  triggerBodySchema,
  triggerSchema,
} from './schema/steps.js';
export {
  checkFlow,
  describeProblem,
  type FlowProblem,
  type FlowProblemCode,
  type ParseFlowResult,
  parseFlow,
} from './structure/check.js';
export {
  allSteps,
  findUnusedName,
  getStep,
  innerSteps,
  precedingSteps,
  type StepLocation,
  type StepLocationRelativeToParent,
  type StepPath,
  type StepVisit,
  stepLocations,
} from './structure/traverse.js';
export {
  connectionsRoot,
  parseTemplate,
  type TemplatePart,
  type TemplateReference,
} from './template/parse.js';
export {
  findMalformedTemplates,
  parseReferences,
  renameReferences,
} from './template/references.js';
export { resolveTemplate, type TemplateContext } from './template/resolve.js';
export type {
  CatalogConnector,
  CatalogPlugin,
  CatalogProp,
  CatalogStepDescription,
  FlowCatalog,
} from './validate/catalog.js';
export {
  type FlowValidation,
  type StepProblem,
  type StepProblemCode,
  validateFlow,
} from './validate/validate.js';
export { flowFormatVersion } from './version.js';

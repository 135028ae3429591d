export { FlowError, type FlowErrorCode } from './errors.js';
export {
  emptyFlowDocument,
  type FlowExport,
  type FlowStatus,
  type FlowSummary,
  Flows,
  type FlowVersionView,
  type FlowView,
} from './flows.js';

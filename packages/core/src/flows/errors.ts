import { CataloguedError } from '../errors.js';

const catalogue = {
  flow_not_found: [404, 'No such flow in this workspace.'],
  flow_conflict: [
    409,
    'Someone else changed this flow since you loaded it. Reload it to see their changes, then apply yours again.',
  ],
  flow_operation_refused: [400, 'This change cannot be applied to the flow.'],
  flow_incomplete: [400, 'The flow has incomplete steps: complete them before publishing.'],
  flow_not_published: [409, 'Publish the flow before you enable it.'],
  flow_version_not_found: [404, 'No such version of this flow.'],
  invalid_flow: [400, 'This is not a valid flow.'],
  invalid_cursor: [400, 'This list cursor is not valid: start again from the first page.'],
} as const satisfies Record<string, readonly [number, string]>;

export type FlowErrorCode = keyof typeof catalogue;

export class FlowError extends CataloguedError<FlowErrorCode> {
  constructor(
    code: FlowErrorCode,
    options: { message?: string; details?: Record<string, unknown>; cause?: unknown } = {},
  ) {
    super(catalogue, code, options);
    this.name = 'FlowError';
  }
}

import { CataloguedError } from '../errors.js';

const catalogue = {
  run_not_found: [404, 'No such run in this workspace.'],
  run_not_retryable: [409, 'Only a failed, timed-out or cancelled run can be retried.'],
  run_not_cancellable: [409, 'This run has already finished.'],
  run_data_truncated: [
    409,
    'This run cannot continue from its failed step: an earlier step’s output was too large to keep. Retry it from the start.',
  ],
  run_data_masked: [
    409,
    'This run cannot continue from its failed step: an earlier step’s output held secrets, which runs never keep. Retry it from the start.',
  ],
  flow_has_no_trigger: [400, 'Choose a trigger for this flow before you run it.'],
  webhook_not_found: [404, 'No enabled flow answers at this address.'],
  webhook_response_timeout: [
    504,
    'The flow did not answer within the time limit. It goes on running; look at the run for its outcome.',
  ],
  payload_too_large: [413, 'The request body is larger than a flow accepts.'],
  invalid_run_filter: [400, 'This run filter is not valid.'],
} as const satisfies Record<string, readonly [number, string]>;

export type RunErrorCode = keyof typeof catalogue;

export class RunError extends CataloguedError<RunErrorCode> {
  constructor(
    code: RunErrorCode,
    options: { message?: string; details?: Record<string, unknown>; cause?: unknown } = {},
  ) {
    super(catalogue, code, options);
    this.name = 'RunError';
  }
}

import { CataloguedError } from '../errors.js';

const catalogue = {
  plugin_not_found: [404, 'No such plugin on this instance.'],
  plugin_unavailable: [
    403,
    'This plugin is not offered on this instance. Ask the instance administrator to make it available.',
  ],
  plugin_refused: [409, 'This plugin could not be loaded, so it cannot be enabled.'],
  plugin_disabled: [
    403,
    'This plugin is disabled in this workspace. A workspace admin can enable it under Settings › Plugins.',
  ],
  connector_not_found: [404, 'This plugin has no such connector.'],
  step_not_found: [404, 'This connector has no such action or trigger.'],
  connection_not_found: [404, 'No such connection in this workspace.'],
  connection_name_taken: [409, 'A connection of this connector already has this name.'],
  invalid_connection_value: [400, 'The connection details are not complete.'],
  connection_required: [400, 'Choose a connection first.'],
  connection_mismatch: [400, 'This connection belongs to another connector.'],
  connection_in_use: [
    409,
    'This connection starts automations that are on: turn them off first, so their triggers are turned off with it.',
  ],
  no_options: [400, 'This field has no options to load.'],
  invalid_step_input: [400, 'Some inputs of this step are not valid.'],
  plugin_call_failed: [502, 'The plugin could not complete the request.'],
  oauth2_state_invalid: [
    400,
    'This sign-in link is not valid (already used, or started by someone else). Start connecting again.',
  ],
  oauth2_state_expired: [400, 'This sign-in took too long and expired. Start connecting again.'],
  oauth2_failed: [502, 'The provider refused the sign-in.'],
  plugin_timeout: [504, 'The plugin took too long to answer.'],
  tool_not_allowed: [
    403,
    'This tool may not run on this connection. A workspace admin can mark it safe or gated under Integrations › Tools.',
  ],
  remote_tools_unsupported: [409, 'This connector has no tools to mark.'],
  trigger_test_unavailable: [
    409,
    'This trigger has no events to load on request: its events come in as they happen.',
  ],
} as const satisfies Record<string, readonly [number, string]>;

export type PluginErrorCode = keyof typeof catalogue;

export class PluginError extends CataloguedError<PluginErrorCode> {
  constructor(
    code: PluginErrorCode,
    options: { message?: string; details?: Record<string, unknown>; cause?: unknown } = {},
  ) {
    super(catalogue, code, options);
    this.name = 'PluginError';
  }
}

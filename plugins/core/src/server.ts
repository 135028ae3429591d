/**
 * The server side of Core, PMOS's built-in plugin (`pmos.server.entry`): the steps every flow
 * needs whatever it connects to. It imports nothing but `@pmos/sdk` (and a cron parser):
 * PMOS hands it `fetch` bound to public hosts (`"*"`) and the step's validated inputs.
 */
import { auth, defineConnector, definePlugin } from '@pmos/sdk/server';
// Identity and permissions come from package.json, so a version bump never leaves them behind.
import pkg from '../package.json' with { type: 'json' };
import { dataMapper } from './actions/data-mapper.js';
import { delay } from './actions/delay.js';
import { httpRequest } from './actions/http-request.js';
import { webhookResponse } from './actions/webhook-response.js';
import { manual } from './triggers/manual.js';
import { schedule } from './triggers/schedule.js';
import { webhook } from './triggers/webhook.js';

export const core = defineConnector({
  id: 'core',
  displayName: 'Core',
  description:
    'HTTP requests, data mapping, delays and webhook answers; manual, webhook and schedule triggers.',
  auth: auth.none(),
  actions: [httpRequest, dataMapper, delay, webhookResponse],
  triggers: [manual, webhook, schedule],
});

export default definePlugin({
  id: pkg.pmos.id,
  version: pkg.version,
  sdk: pkg.pmos.sdk,
  displayName: pkg.pmos.displayName,
  description: pkg.pmos.description,
  contributes: { connectors: [core] },
  permissions: { hosts: pkg.pmos.permissions.hosts },
});

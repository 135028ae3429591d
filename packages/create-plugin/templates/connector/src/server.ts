import { definePlugin } from '@pmos/sdk/server';
import { pmos, version } from '../package.json';
import { connector } from './connector';

/**
 * The server entry PMOS imports (`pmos.server.entry` → dist/server.js). Identity, version and
 * hosts come from package.json, so the code and the manifest always agree.
 */
export default definePlugin({
  id: pmos.id,
  version,
  sdk: pmos.sdk,
  displayName: pmos.displayName,
  description: pmos.description,
  contributes: { connectors: [connector] },
  permissions: pmos.permissions,
});

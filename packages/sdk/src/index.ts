/**
 * @pmos/sdk — what plugin authors import to write PMOS connectors, AI providers and UI
 * panels. Server-side contracts live in `@pmos/sdk/server` (props DSL, auth kinds, define*),
 * the package.json `pmos` manifest in `@pmos/sdk/manifest`.
 */
export { sdkVersion } from './version.js';

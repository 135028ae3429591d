/**
 * @pmos/sdk — what plugin authors import to write PMOS connectors, AI providers and UI
 * panels. Server-side contracts live in `@pmos/sdk/server` (props DSL, auth kinds,
 * defineAction / defineTrigger / defineConnector). This entry carries the SDK's version,
 * which plugin manifests name in their `pmos.sdk` range.
 */
export const sdkVersion = '0.1.0';

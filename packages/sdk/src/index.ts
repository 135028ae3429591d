/**
 * @pmos/sdk — what plugin authors import to write PMOS connectors, AI providers and UI
 * panels. The plugin contract (definePlugin, defineConnector, defineAction, props, the test
 * harness) lands with the plugin host; until then this entry carries the SDK's version,
 * which plugin manifests name in their `pmos.sdk` range.
 */
export const sdkVersion = '0.1.0';

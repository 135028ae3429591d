export {
  authForPlugin,
  decodeConnectionValue,
  encodeConnectionValue,
  type StoredOAuth2Value,
} from './connection-value.js';
export { Connections, type ConnectionView } from './connections.js';
export { type DiscoveredPlugin, discoverPlugins, type PluginSource } from './discovery.js';
export {
  availableByDefault,
  countEnabledWorkspaces,
  enabledPlugins,
  isAvailable,
  isEnabledIn,
  pluginAvailability,
  requireEnabledPlugin,
  setPluginAvailability,
  setWorkspacePluginEnabled,
  type WorkspacePluginState,
  workspacePluginStates,
} from './enablement.js';
export { PluginError, type PluginErrorCode } from './errors.js';
export {
  type HostedPlugin,
  type LoadedPlugin,
  type LoadOptions,
  loadPlugins,
  type RefusedPlugin,
  shareSdkWithPlugins,
} from './loader.js';
export {
  exchangeOAuth2Code,
  fillUrl,
  needsRefresh,
  oauth2Mask,
  oauth2SignInTtlMs,
  type PendingSignIn,
  refreshOAuth2Tokens,
  startOAuth2SignIn,
  takeOAuth2SignIn,
} from './oauth2.js';
export {
  type CallOptions,
  checkHealth,
  listProviderModels,
  listRemoteTools,
  loadPropOptions,
  pluginFetch,
} from './plugin-calls.js';
export { maxStoredValueBytes, pluginStore } from './plugin-store.js';
export { PluginRegistry, type StepDefinition } from './registry.js';
export { type ActionRun, maskForRecord, runPluginAction } from './run-action.js';
export {
  runPluginTrigger,
  runTriggerHook,
  type TriggerHookRun,
  type TriggerRun,
  testPluginTrigger,
  triggerTestEvents,
} from './run-trigger.js';

export {
  type AiModelInfo,
  type AiProviderContext,
  type AiProviderDefinition,
  defineAiProvider,
} from './ai-provider.js';
export {
  type AuthDefinition,
  type AuthValue,
  auth,
  type BasicAuth,
  type CustomAuth,
  type NoAuth,
  type OAuth2Auth,
  type OAuth2Value,
  type SecretTextAuth,
} from './auth.js';
export { boundFetch, isHostAllowed } from './bound-fetch.js';
export {
  type ActionDefinition,
  type ConnectorDefinition,
  defineAction,
  defineConnector,
  defineTrigger,
  type HealthReport,
  type KeyValueStore,
  type PluginLogger,
  type Risk,
  type RunContext,
  type TriggerDefinition,
  type TriggerStrategy,
} from './define.js';
export {
  HostNotAllowedError,
  InvalidPropsError,
  NoOptionsError,
  SdkDefinitionError,
} from './errors.js';
export { type ResolvedOptions, resolvePropOptions } from './options.js';
export {
  configJsonSchema,
  definePlugin,
  type PanelContribution,
  type PluginDefinition,
  type PluginSetupContext,
} from './plugin.js';
export {
  type AnyProp,
  type DropdownOption,
  type DropdownState,
  describeProps,
  type OptionsContext,
  type PmosFile,
  type PropDescription,
  type Props,
  type PropsValue,
  type PropValue,
  parseProps,
  prop,
  propsValidator,
} from './props.js';

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
export { SdkDefinitionError } from './errors.js';
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
  prop,
  propsValidator,
} from './props.js';

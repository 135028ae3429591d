export {
  isSdkCompatible,
  ManifestError,
  type PluginManifest,
  panelSlots,
  parsePluginManifest,
  pluginManifestSchema,
} from './manifest.js';

export { keyId, seal, unseal } from './envelope.js';
export { SecretsError, type SecretsErrorCode } from './errors.js';
export {
  generateMasterKey,
  hasNextMasterKeyFile,
  type Keyring,
  loadMasterKeyFile,
  type MasterKey,
  masterKey,
  masterKeyFile,
  parseMasterKey,
  promoteNextMasterKeyFile,
  writeNextMasterKeyFile,
} from './master-key.js';
export { type RotationResult, rotateMasterKey } from './rotation.js';
export { type SealedValue, SecretsVault, type SecretView } from './vault.js';

import type { EntityManager } from '@mikro-orm/postgresql';
import type { ActorContext } from '../audit/audit-log.js';
import {
  generateMasterKey,
  hasNextMasterKeyFile,
  promoteNextMasterKeyFile,
  writeNextMasterKeyFile,
} from './master-key.js';
import type { SecretsVault } from './vault.js';

export interface RotationResult {
  rewrapped: number;
  masterKeyId: string;
  /** A new key file was generated (embedded mode). */
  generated: boolean;
  /** An interrupted rotation's pending key was used instead of a new one. */
  resumed: boolean;
}

/**
 * Moves every data key under a new master key while secrets stay readable. With a key file
 * (embedded mode) a new key is generated, written as `master.key.next` before any data key
 * depends on it, and promoted once all are re-wrapped. With PMOS_MASTER_KEY the process
 * already runs with the new key (and the old one in PMOS_MASTER_KEY_PREVIOUS): re-wrapping
 * is all there is to do. Used by `pmos secrets rotate-master` and the admin API.
 */
export async function rotateMasterKey(
  vault: SecretsVault,
  em: EntityManager,
  options: { keyFileDir: string | undefined; actor: ActorContext },
): Promise<RotationResult> {
  await vault.assertKeyringMatches(em); // the keys in hand open what is stored
  const { keyFileDir } = options;
  const resumed = keyFileDir !== undefined && hasNextMasterKeyFile(keyFileDir);
  const generated = keyFileDir !== undefined && !resumed;
  if (generated) {
    const next = generateMasterKey();
    writeNextMasterKeyFile(keyFileDir, next);
    const { current, previous } = vault.keys;
    vault.replaceKeyring({ current: next, previous: [current, ...previous] });
  }
  const { rewrapped } = await vault.rotateMasterKey(em, options.actor);
  if (keyFileDir) promoteNextMasterKeyFile(keyFileDir);
  return { rewrapped, masterKeyId: vault.currentKeyId, generated, resumed };
}

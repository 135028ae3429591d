import { rotateMasterKey, SecretsVault, systemActor } from '@pmos/core';
import pino from 'pino';
import { resolveKeyring } from '../server/master-keyring.js';
import { withCliDatabase } from './database.js';

/**
 * `pmos secrets rotate-master`: re-wraps every workspace data key under a new master key.
 * With PMOS_MASTER_KEY: set it to the NEW key and PMOS_MASTER_KEY_PREVIOUS to the old
 * one(s) first. Embedded mode: a new key is generated into the data directory (PMOS must be
 * stopped — or use the running server's Admin API, which rotates without downtime).
 */
export function runRotateMaster(): Promise<void> {
  return withCliDatabase(async (db, config) => {
    const vault = new SecretsVault(resolveKeyring(config, db, pino({ level: 'silent' })));
    const keyFileDir = config.masterKey ? undefined : db.dataDirPath;
    const result = await rotateMasterKey(vault, db.orm.em.fork(), {
      keyFileDir,
      actor: { ...systemActor, userAgent: 'pmos cli' },
    });
    process.stdout.write(
      (result.resumed ? 'Finished an interrupted rotation. ' : '') +
        `Re-wrapped ${result.rewrapped} workspace data key(s) under master key ${result.masterKeyId}.\n` +
        (keyFileDir
          ? 'The new key replaced master.key in the data directory: back it up now.\n'
          : 'Remove the old key from PMOS_MASTER_KEY_PREVIOUS once every process runs with the new one.\n'),
    );
  });
}

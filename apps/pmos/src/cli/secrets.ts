import {
  generateMasterKey,
  hasNextMasterKeyFile,
  promoteNextMasterKeyFile,
  SecretsVault,
  systemActor,
  writeNextMasterKeyFile,
} from '@pmos/core';
import pino from 'pino';
import { resolveKeyring } from '../server/master-keyring.js';
import { withCliDatabase } from './database.js';

/**
 * `pmos secrets rotate-master`: re-wraps every workspace data key under the current master
 * key. With PMOS_MASTER_KEY: set it to the NEW key and PMOS_MASTER_KEY_PREVIOUS to the old
 * one(s). Embedded mode: a new key is generated into the data directory and replaces the old.
 */
export function runRotateMaster(): Promise<void> {
  return withCliDatabase(async (db, config) => {
    let keyring = resolveKeyring(config, db, pino({ level: 'silent' }));
    // The keys in hand must open what is stored before anything changes.
    await new SecretsVault(keyring).assertKeyringMatches(db.orm.em.fork());
    const embeddedFile = !config.masterKey && db.dataDirPath;
    // A master.key.next left by an interrupted rotation is already the current key: finish
    // with it rather than replace it (data keys may already be wrapped by it).
    const resuming = embeddedFile && hasNextMasterKeyFile(embeddedFile);
    if (embeddedFile && !resuming) {
      const next = generateMasterKey();
      writeNextMasterKeyFile(embeddedFile, next); // on disk before any data key depends on it
      keyring = { current: next, previous: [keyring.current, ...keyring.previous] };
    }
    const vault = new SecretsVault(keyring);
    const { rewrapped } = await vault.rotateMasterKey(db.orm.em.fork(), {
      ...systemActor,
      userAgent: 'pmos cli',
    });
    if (embeddedFile) promoteNextMasterKeyFile(embeddedFile);
    process.stdout.write(
      (resuming ? 'Finished an interrupted rotation. ' : '') +
        `Re-wrapped ${rewrapped} workspace data key(s) under master key ${vault.currentKeyId}.\n` +
        (embeddedFile
          ? 'The new key replaced master.key in the data directory: back it up now.\n'
          : 'Remove the old key from PMOS_MASTER_KEY_PREVIOUS once every process runs with the new one.\n'),
    );
  });
}

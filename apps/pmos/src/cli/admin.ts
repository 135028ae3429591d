import { userInfo } from 'node:os';
import { openDatabase, systemActor, transferSuperAdmin } from '@pmos/core';
import { loadConfig } from '../server/config.js';

/** `pmos admin transfer-super-admin <email>`: the only way the super_admin role moves. */
export async function runTransferSuperAdmin(email: string): Promise<void> {
  const config = loadConfig();
  const db = await openDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    poolMax: 1,
  });
  try {
    const { from, to } = await transferSuperAdmin(db.orm, email, {
      ...systemActor,
      userAgent: `pmos cli (${userInfo().username})`,
    });
    process.stdout.write(
      from === to
        ? `${to} is already the super_admin.\n`
        : `super_admin is now ${to}${from ? ` (was ${from})` : ''}.\n`,
    );
  } finally {
    await db.close();
  }
}

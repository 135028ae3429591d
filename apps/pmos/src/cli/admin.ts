import { userInfo } from 'node:os';
import { systemActor, transferSuperAdmin } from '@pmos/core';
import { withCliDatabase } from './database.js';

/** `pmos admin transfer-super-admin <email>`: the only way the super_admin role moves. */
export function runTransferSuperAdmin(email: string): Promise<void> {
  return withCliDatabase(async ({ orm }) => {
    const { from, to } = await transferSuperAdmin(orm, email, {
      ...systemActor,
      userAgent: `pmos cli (${userInfo().username})`,
    });
    process.stdout.write(
      from === to
        ? `${to} is already the super_admin.\n`
        : `super_admin is now ${to}${from ? ` (was ${from})` : ''}.\n`,
    );
  });
}

import { afterAll, beforeAll, inject } from 'vitest';
import { verifyAuditChains } from '../audit/audit-verify.js';
import { createOrm } from '../db/orm.js';
import './provided-context.js';
import { createTestDatabase, type TestDatabase } from './test-database.js';

export interface TestDatabaseOptions {
  /** false: an empty database instead of a clone of the migrated template. */
  migrated?: boolean;
  /** The file tampers with the audit log on purpose: skip the closing chain check. */
  auditTampered?: boolean;
}

/**
 * Gives the calling test file its own database, cloned from the run's migrated template
 * (see global-setup.ts), and drops it when the file is done — after checking that every
 * audit chain the file's tests wrote still verifies, so the whole suite doubles as an audit
 * integrity test. Read `.url` inside tests.
 */
export function withTestDatabase(options: TestDatabaseOptions = {}): { readonly url: string } {
  let database: TestDatabase | undefined;
  beforeAll(async () => {
    database = await createTestDatabase(
      options.migrated === false ? undefined : inject('pmosTemplateDb'),
    );
  });
  afterAll(async () => {
    if (!database) return;
    try {
      if (options.migrated !== false && !options.auditTampered)
        await assertAuditIntact(database.url);
    } finally {
      await database.drop();
    }
  });
  return {
    get url() {
      if (!database) throw new Error('withTestDatabase(): read .url inside a test or hook');
      return database.url;
    },
  };
}

async function assertAuditIntact(url: string): Promise<void> {
  const orm = await createOrm({ clientUrl: url, poolMax: 1 });
  try {
    const broken = (await verifyAuditChains(orm.em.fork())).filter((chain) => chain.firstBroken);
    if (broken.length > 0) {
      throw new Error(`audit chain broken after the tests: ${JSON.stringify(broken)}`);
    }
  } finally {
    await orm.close();
  }
}

import { afterAll, beforeAll, inject } from 'vitest';
import './provided-context.js';
import { createTestDatabase, type TestDatabase } from './test-database.js';

/**
 * Gives the calling test file its own database, cloned from the run's migrated template
 * (see global-setup.ts), and drops it when the file is done. Read `.url` inside tests.
 */
export function withTestDatabase(options: { migrated?: boolean } = {}): { readonly url: string } {
  let database: TestDatabase | undefined;
  beforeAll(async () => {
    database = await createTestDatabase(
      options.migrated === false ? undefined : inject('pmosTemplateDb'),
    );
  });
  afterAll(async () => {
    await database?.drop();
  });
  return {
    get url() {
      if (!database) throw new Error('withTestDatabase(): read .url inside a test or hook');
      return database.url;
    },
  };
}

export {
  createTemplateDatabase,
  createTestDatabase,
  databaseUrl,
  type TestDatabase,
  testServerUrl,
} from './test-database.js';
export { withTestDatabase } from './with-test-database.js';

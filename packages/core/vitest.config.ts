import { defineProject } from 'vitest/config';
import { sourceConditions } from '../../tools/source-conditions.js';

export default defineProject({
  ...sourceConditions,
  root: import.meta.dirname,
  test: {
    name: 'core',
    environment: 'node',
    include: ['src/**/*.test.ts'],
    globalSetup: ['./src/testing/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});

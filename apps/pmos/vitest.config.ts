import { defineProject } from 'vitest/config';
import { sourceConditions } from '../../tools/source-conditions.js';

export default defineProject({
  ...sourceConditions,
  root: import.meta.dirname,
  test: {
    name: 'app',
    environment: 'node',
    include: ['src/**/*.test.ts'],
    exclude: ['src/**/*.e2e.test.ts'],
    // The kernel's migrated-template set-up: one template database per project and run.
    globalSetup: ['../../packages/core/src/testing/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});

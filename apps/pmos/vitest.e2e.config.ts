import { defineProject } from 'vitest/config';
import { sourceConditions } from '../../tools/source-conditions.js';

// End-to-end: the built `pmos` CLI as a real process, driven over HTTP and in Chromium.
export default defineProject({
  ...sourceConditions,
  root: import.meta.dirname,
  test: {
    name: 'e2e',
    environment: 'node',
    include: ['src/**/*.e2e.test.ts'],
    // The kernel's migrated-template set-up: one template database per project and run.
    globalSetup: ['../../packages/core/src/testing/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 90_000,
  },
});

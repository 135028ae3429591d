import { defineConfig } from 'vitest/config';

/**
 * The whole test suite in one run: every package's and app's vitest config is a project
 * (each applies tools/source-conditions.ts, so tests run on sources without a build).
 */
export default defineConfig({
  test: {
    projects: [
      'packages/*/vitest*.config.ts',
      'apps/*/vitest*.config.ts',
      'plugins/*/vitest*.config.ts',
      'examples/*/vitest*.config.ts',
    ],
    reporters: ['default', './tools/vitest-summary-reporter.ts'],
  },
});

import { defineProject } from 'vitest/config';
import { sourceConditions } from '../../tools/source-conditions.js';

export default defineProject({
  ...sourceConditions,
  root: import.meta.dirname,
  test: {
    name: 'sdk',
    environment: 'node',
    include: ['src/**/*.test.ts'],
    // *.test-d.ts hold type-level tests (inference of props and auth); tsc checks them.
    typecheck: { enabled: true, include: ['src/**/*.test-d.ts'], tsconfig: './tsconfig.json' },
  },
});

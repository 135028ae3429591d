import { defineProject } from 'vitest/config';
import { sourceConditions } from '../../tools/source-conditions.js';

export default defineProject({
  ...sourceConditions,
  root: import.meta.dirname,
  test: {
    name: 'activepieces',
    environment: 'node',
    include: ['src/**/*.test.ts'],
  },
});

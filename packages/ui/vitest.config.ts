import react from '@vitejs/plugin-react';
import { defineProject } from 'vitest/config';
import { sourceConditions } from '../../tools/source-conditions.js';

export default defineProject({
  ...sourceConditions,
  // Pinned to this folder so the project behaves the same when run from the repo root.
  root: import.meta.dirname,
  plugins: [react()],
  test: {
    name: 'ui',
    environment: 'jsdom',
    setupFiles: ['./vitest.setup.ts'],
    include: ['src/**/*.test.tsx'],
  },
});

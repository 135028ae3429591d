import react from '@vitejs/plugin-react';
import { defineProject } from 'vitest/config';
import { sourceConditions } from '../../tools/source-conditions.js';

// Component tests of the web app (React in jsdom): `*.test.tsx` under src/web.
export default defineProject({
  ...sourceConditions,
  root: import.meta.dirname,
  plugins: [react()],
  test: {
    name: 'web',
    environment: 'jsdom',
    include: ['src/web/**/*.test.tsx'],
    setupFiles: ['src/web/testing/jsdom-setup.ts'],
  },
});

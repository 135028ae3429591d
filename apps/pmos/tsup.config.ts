import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { cli: 'src/cli/index.ts' },
  format: ['esm'],
  target: 'node24',
  platform: 'node',
  sourcemap: true,
  // The web app is built by Vite into dist/web: only clean what tsup writes.
  clean: false,
  banner: { js: '#!/usr/bin/env node' },
});

import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { cli: 'src/cli.ts' },
  format: ['esm'],
  target: 'node24',
  platform: 'node',
  sourcemap: true,
  clean: true,
  // @pmos/sdk is a devDependency: its sdkVersion is inlined at build time, so the published
  // scaffold needs no SDK at run time. dependencies stay external.
  noExternal: ['@pmos/sdk'],
  banner: { js: '#!/usr/bin/env node' },
});

import { defineConfig } from 'tsup';

/**
 * dist/server.js is what PMOS imports (`pmos.server.entry`). PMOS provides @pmos/sdk to every
 * plugin; everything else the server code imports is bundled in, because PMOS loads the
 * unpacked package without installing its dependencies.
 */
export default defineConfig({
  entry: { server: 'src/server.ts' },
  format: ['esm'],
  target: 'node24',
  platform: 'node',
  sourcemap: true,
  clean: true,
  dts: false,
  external: ['@pmos/sdk'],
  noExternal: [/^(?!@pmos\/sdk(\/|$))/],
});

import { defineConfig } from 'tsup';

/**
 * The server entry PMOS imports (`pmos.server.entry`). `@pmos/sdk` stays external: the host
 * provides it; the pieces and zod are dependencies, resolved from this package at run time.
 */
export default defineConfig({
  entry: { server: 'src/server.ts' },
  format: ['esm'],
  target: 'node24',
  platform: 'node',
  sourcemap: true,
  clean: true,
  dts: false,
  removeNodeProtocol: false,
});

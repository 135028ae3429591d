import { defineConfig } from 'tsup';

/**
 * The server entry PMOS imports (`pmos.server.entry`). `@pmos/sdk` stays external: the host
 * provides it; the `@ai-sdk/*` providers are dependencies, resolved from this package at run time.
 */
export default defineConfig({
  // testing: the fake providers, for benchmarks that run outside vitest (pnpm bench chat).
  entry: { server: 'src/server.ts', testing: 'src/testing/index.ts' },
  format: ['esm'],
  target: 'node24',
  platform: 'node',
  sourcemap: true,
  clean: true,
  dts: false,
  removeNodeProtocol: false,
});

import { defineConfig } from 'tsup';

/**
 * The server entry PMOS imports (`pmos.server.entry`). `@pmos/sdk` stays external: the host
 * provides it. Runs after `vite build`, so `clean` stays off to keep dist/ui.
 */
export default defineConfig({
  entry: { server: 'src/server.ts' },
  format: ['esm'],
  target: 'node24',
  platform: 'node',
  sourcemap: true,
  clean: false,
  dts: false,
  // Keep `node:crypto` as written (tsup strips the `node:` prefix by default).
  removeNodeProtocol: false,
});

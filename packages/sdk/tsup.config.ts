import { defineConfig } from 'tsup';

export default defineConfig({
  entry: {
    index: 'src/index.ts',
    'server/index': 'src/server/index.ts',
    'manifest/index': 'src/manifest/index.ts',
    'ui/index': 'src/ui/index.ts',
    'testing/index': 'src/testing/index.ts',
  },
  format: ['esm'],
  target: 'node24',
  dts: true,
  sourcemap: true,
  clean: true,
  external: ['react'],
  // Keep `node:dns/promises` as written (tsup strips the `node:` prefix by default).
  removeNodeProtocol: false,
});

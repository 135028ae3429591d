import { federation } from '@module-federation/vite';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/**
 * The plugin's UI: a module federation remote that PMOS loads from `pmos.ui.manifest`
 * (dist/ui/mf-manifest.json). The name must be `pmos_` + the plugin id with "-" → "_";
 * `base: './'` keeps it loadable from whatever URL PMOS serves it under; React comes from
 * the host as a shared singleton.
 */
export default defineConfig({
  base: './',
  plugins: [
    react(),
    federation({
      name: '{{mfName}}',
      filename: 'remoteEntry.js',
      manifest: true,
      exposes: { './Panel': './src/Panel.tsx' },
      shared: {
        react: { singleton: true, requiredVersion: '^19.0.0' },
        'react-dom': { singleton: true, requiredVersion: '^19.0.0' },
      },
      dts: false,
    }),
  ],
  build: {
    target: 'esnext',
    outDir: 'dist/ui',
    emptyOutDir: true,
    // No index.html: the remote's only entry is remoteEntry.js, which the plugin above adds.
    rolldownOptions: { input: {} },
  },
});

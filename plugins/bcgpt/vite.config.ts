import { federation } from '@module-federation/vite';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/**
 * The plugin's UI remote (`pmos.ui.manifest`). The host derives the federation name from the
 * plugin id: `pmos_` + id with "-" → "_". `base: './'` keeps the remote loadable from any
 * URL PMOS serves it under. Only dist/ui is emptied, so tsup's dist/server.js survives.
 */
export default defineConfig({
  base: './',
  plugins: [
    react(),
    federation({
      name: 'pmos_bcgpt',
      filename: 'remoteEntry.js',
      manifest: true,
      exposes: { './Settings': './src/ui/Settings.tsx' },
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
    // A remote has no page: without an explicit (empty) input Vite looks for index.html and
    // fails. The federation plugin adds remoteEntry.js and the exposed modules itself.
    rolldownOptions: { input: {} },
  },
});

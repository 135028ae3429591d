import type { StorybookConfig } from '@storybook/react-vite';
import { defaultClientConditions, mergeConfig } from 'vite';

const config: StorybookConfig = {
  // The design system's stories, and the app's feature parts built on it (the Flow Studio).
  stories: ['../src/**/*.stories.@(ts|tsx)', '../../../apps/pmos/src/web/**/*.stories.@(ts|tsx)'],
  framework: { name: '@storybook/react-vite', options: {} },
  addons: ['@storybook/addon-vitest'],
  core: { disableTelemetry: true },
  viteFinal: (viteConfig) =>
    mergeConfig(viteConfig, {
      resolve: {
        // Workspace packages from their sources, as in tests; app stories resolve Storybook
        // and React from here (apps/pmos does not depend on Storybook).
        conditions: ['@pmos/source', ...defaultClientConditions],
        dedupe: ['react', 'react-dom', 'storybook', '@storybook/react-vite'],
      },
      build: {
        // Storybook's own preview runtime is ~1.1 MB; it is never shipped to PMOS users.
        chunkSizeWarningLimit: 2000,
        rolldownOptions: {
          onwarn(warning, warn) {
            // Radix marks its modules "use client"; irrelevant in a client-only bundle.
            if (warning.code === 'MODULE_LEVEL_DIRECTIVE') return;
            warn(warning);
          },
        },
      },
    }),
};

export default config;

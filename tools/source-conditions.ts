import { defaultClientConditions, defaultServerConditions } from 'vite';

/**
 * Resolve workspace packages to their TypeScript sources (`@pmos/source` export condition)
 * in tests, so no package needs building before its dependents are tested.
 */
export const sourceConditions = {
  resolve: { conditions: ['@pmos/source', ...defaultClientConditions] },
  ssr: { resolve: { conditions: ['@pmos/source', ...defaultServerConditions] } },
};

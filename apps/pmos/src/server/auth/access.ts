import type { PlatformPermission, WorkspacePermission } from '@pmos/core';

/**
 * What a route requires, declared on every /api route (`config: { access }`) and enforced
 * by one guard (guard.ts). A route without a declaration is refused.
 */
export type RouteAccess =
  | { kind: 'public' }
  | { kind: 'authenticated' }
  | {
      kind: 'workspace';
      permission: WorkspacePermission;
      /**
       * The handler calls outside services (plugins): it opens its own short tenant-scoped
       * transactions (`inTenantScope`) instead of holding one across a slow call.
       */
      ownTransactions?: boolean;
    }
  | { kind: 'platform'; permission: PlatformPermission; sessionOnly?: boolean };

export const access = {
  public: { kind: 'public' },
  authenticated: { kind: 'authenticated' },
  workspace: (
    permission: WorkspacePermission,
    options: { ownTransactions?: boolean } = {},
  ): RouteAccess => ({ kind: 'workspace', permission, ...options }),
  /** Instance administration; `sessionOnly` refuses API tokens (the shell needs a person). */
  platform: (
    permission: PlatformPermission,
    options: { sessionOnly?: boolean } = {},
  ): RouteAccess => ({
    kind: 'platform',
    permission,
    ...options,
  }),
} satisfies Record<string, RouteAccess | ((...args: never[]) => RouteAccess)>;

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: RouteAccess;
  }
}

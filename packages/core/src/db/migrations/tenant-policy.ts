/**
 * The statements that put a tenant table under row-level security: rows of other
 * workspaces are invisible to, and refused from, the `pmos_tenant` role.
 */
export function tenantPolicy(table: string): string[] {
  return [
    `alter table "${table}" enable row level security;`,
    `create policy "${table}_tenant" on "${table}" to pmos_tenant
    using ("workspace_id" = nullif(current_setting('pmos.workspace_id', true), '')::uuid)
    with check ("workspace_id" = nullif(current_setting('pmos.workspace_id', true), '')::uuid);`,
    `grant select, insert, update, delete on "${table}" to pmos_tenant;`,
  ];
}

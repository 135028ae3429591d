import { Migration } from '@mikro-orm/migrations';

/** Tenant-owned tables, and the expression naming each row's workspace. */
export const tenantTables: [table: string, workspaceColumn: string][] = [
  ['workspace', 'id'],
  ['workspace_membership', 'workspace_id'],
  ['invite', 'workspace_id'],
  ['secret', 'workspace_id'],
  ['workspace_data_key', 'workspace_id'],
  ['audit_event', 'workspace_id'],
];

/**
 * The second tenancy layer: row-level security. Workspace requests run as the role
 * `pmos_tenant` (SET LOCAL ROLE inside their transaction) with `pmos.workspace_id` set; the
 * policies then hide every row of another workspace, even from a query that forgot its
 * filter. The role is cluster-wide, so `down` keeps it (other databases may use it).
 */
export class Migration20261125050000_row_level_security extends Migration {
  override name = 'Migration20261125050000_row_level_security';

  override up(): void {
    this.addSql(`do $$ begin
      if not exists (select 1 from pg_roles where rolname = 'pmos_tenant') then
        create role pmos_tenant nologin;
      end if;
    end $$;`);
    // The login role must be able to SET ROLE to it (a superuser always can).
    this.addSql(`do $$ begin
      if not (select rolsuper from pg_roles where rolname = current_user) then
        execute format('grant pmos_tenant to %I', current_user);
      end if;
    end $$;`);
    this.addSql('grant usage on schema public to pmos_tenant;');
    this.addSql(
      'grant select, insert, update, delete on all tables in schema public to pmos_tenant;',
    );
    this.addSql('grant usage, select on all sequences in schema public to pmos_tenant;');
    this.addSql(
      'alter default privileges in schema public grant select, insert, update, delete on tables to pmos_tenant;',
    );
    this.addSql(
      'alter default privileges in schema public grant usage, select on sequences to pmos_tenant;',
    );
    for (const [table, column] of tenantTables) {
      this.addSql(`alter table "${table}" enable row level security;`);
      this.addSql(`create policy "${table}_tenant" on "${table}" to pmos_tenant
        using ("${column}" = nullif(current_setting('pmos.workspace_id', true), '')::uuid)
        with check ("${column}" = nullif(current_setting('pmos.workspace_id', true), '')::uuid);`);
    }
  }

  override down(): void {
    for (const [table] of [...tenantTables].reverse()) {
      this.addSql(`drop policy if exists "${table}_tenant" on "${table}";`);
      this.addSql(`alter table "${table}" disable row level security;`);
    }
    this.addSql(
      'alter default privileges in schema public revoke select, insert, update, delete on tables from pmos_tenant;',
    );
    this.addSql(
      'alter default privileges in schema public revoke usage, select on sequences from pmos_tenant;',
    );
    this.addSql('revoke all on all tables in schema public from pmos_tenant;');
    this.addSql('revoke all on all sequences in schema public from pmos_tenant;');
    this.addSql('revoke usage on schema public from pmos_tenant;');
  }
}

import { Migration } from '@mikro-orm/migrations';

/** Exact per-workspace counters for quotas that gate work or money (runs, AI tokens). */
export class Migration20261125060000_quota_usage extends Migration {
  override name = 'Migration20261125060000_quota_usage';

  override up(): void {
    this.addSql(`create table "quota_usage" (
      "workspace_id" uuid not null references "workspace" ("id") on delete cascade,
      "quota" text not null,
      "period_start" timestamptz not null,
      "used" bigint not null default 0 check ("used" >= 0),
      primary key ("workspace_id", "quota", "period_start")
    );`);
    this.addSql('alter table "quota_usage" enable row level security;');
    this.addSql(`create policy "quota_usage_tenant" on "quota_usage" to pmos_tenant
      using ("workspace_id" = nullif(current_setting('pmos.workspace_id', true), '')::uuid)
      with check ("workspace_id" = nullif(current_setting('pmos.workspace_id', true), '')::uuid);`);
    this.addSql('grant select, insert, update, delete on "quota_usage" to pmos_tenant;');
  }

  override down(): void {
    this.addSql('drop table if exists "quota_usage";');
  }
}

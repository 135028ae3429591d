import { Migration } from '@mikro-orm/migrations';
import { tenantPolicy } from './tenant-policy.js';

/**
 * Flows: one editable draft per flow (with a revision for optimistic concurrency) and
 * immutable published versions — the database refuses to change or remove a version
 * except through its flow's deletion.
 */
export class Migration20261125100000_flows extends Migration {
  override name = 'Migration20261125100000_flows';

  override up(): void {
    this.addSql(`create table "flow" (
      "id" uuid primary key,
      "workspace_id" uuid not null references "workspace" ("id") on delete cascade,
      "display_name" text not null,
      "folder" text null,
      "tags" text[] not null default '{}',
      "status" text not null default 'DISABLED' check ("status" in ('ENABLED', 'DISABLED')),
      "draft" jsonb not null,
      "revision" integer not null default 1,
      "published_version_id" uuid null,
      "created_by" uuid null references "app_user" ("id") on delete set null,
      "updated_by" uuid null references "app_user" ("id") on delete set null,
      "created_at" timestamptz not null default now(),
      "updated_at" timestamptz not null default now()
    );`);
    this.addSql(
      'create index "flow_workspace_updated" on "flow" ("workspace_id", "updated_at" desc, "id");',
    );
    for (const statement of tenantPolicy('flow')) this.addSql(statement);

    this.addSql(`create table "flow_version" (
      "id" uuid primary key,
      "workspace_id" uuid not null references "workspace" ("id") on delete cascade,
      "flow_id" uuid not null references "flow" ("id") on delete cascade,
      "number" integer not null,
      "document" jsonb not null,
      "published_by" uuid null references "app_user" ("id") on delete set null,
      "published_at" timestamptz not null default now(),
      unique ("flow_id", "number")
    );`);
    for (const statement of tenantPolicy('flow_version')) this.addSql(statement);
    this.addSql(`alter table "flow" add constraint "flow_published_version_fk"
      foreign key ("published_version_id") references "flow_version" ("id") on delete set null;`);
    // Published versions never change; they go only with their flow (cascade) or workspace.
    this.addSql(`create or replace function "flow_version_immutable"() returns trigger
      language plpgsql as $$
      begin
        if tg_op = 'UPDATE' then
          raise exception 'flow versions are immutable' using errcode = 'P0001';
        end if;
        if tg_op = 'DELETE' and exists (
          select 1 from "flow" f join "workspace" w on w."id" = f."workspace_id"
          where f."id" = old."flow_id"
        ) then
          raise exception 'a flow version is deleted only with its flow' using errcode = 'P0001';
        end if;
        return old;
      end $$;`);
    this.addSql(`create trigger "flow_version_immutable" before update or delete on "flow_version"
      for each row execute function "flow_version_immutable"();`);
  }

  override down(): void {
    this.addSql('drop table if exists "flow_version" cascade;');
    this.addSql('drop table if exists "flow" cascade;');
    this.addSql('drop function if exists "flow_version_immutable"();');
  }
}

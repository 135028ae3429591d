import { Migration } from '@mikro-orm/migrations';
import { tenantPolicy } from './tenant-policy.js';

/**
 * Plugins: which ones the super admin offers on the instance, which ones each workspace
 * enabled, and the workspaces' connections (values sealed with the workspace data key).
 */
export class Migration20261125070000_plugins extends Migration {
  override name = 'Migration20261125070000_plugins';

  override up(): void {
    this.addSql(`create table "plugin_availability" (
      "plugin_id" text primary key,
      "available" boolean not null,
      "updated_by" uuid null references "app_user" ("id") on delete set null,
      "updated_at" timestamptz not null default now()
    );`);
    // Workspace requests read availability (never write it).
    this.addSql('grant select on "plugin_availability" to pmos_tenant;');
    this.addSql('revoke insert, update, delete on "plugin_availability" from pmos_tenant;');

    this.addSql(`create table "workspace_plugin" (
      "workspace_id" uuid not null references "workspace" ("id") on delete cascade,
      "plugin_id" text not null,
      "enabled" boolean not null,
      "updated_by" uuid null references "app_user" ("id") on delete set null,
      "updated_at" timestamptz not null default now(),
      primary key ("workspace_id", "plugin_id")
    );`);
    for (const statement of tenantPolicy('workspace_plugin')) this.addSql(statement);

    this.addSql(`create table "connection" (
      "id" uuid primary key,
      "workspace_id" uuid not null references "workspace" ("id") on delete cascade,
      "plugin_id" text not null,
      "connector_id" text not null,
      "display_name" text not null,
      "auth_kind" text not null,
      "data_key_version" integer null,
      "ciphertext" bytea null,
      "mask" text not null,
      "last_check_ok" boolean null,
      "last_check_message" text null,
      "last_checked_at" timestamptz null,
      "created_by" uuid null references "app_user" ("id") on delete set null,
      "created_at" timestamptz not null default now(),
      "updated_at" timestamptz not null default now()
    );`);
    this.addSql(
      'create unique index "connection_workspace_name" on "connection" ("workspace_id", "plugin_id", "connector_id", lower("display_name"));',
    );
    for (const statement of tenantPolicy('connection')) this.addSql(statement);
  }

  override down(): void {
    this.addSql('drop table if exists "connection";');
    this.addSql('drop table if exists "workspace_plugin";');
    this.addSql('drop table if exists "plugin_availability";');
  }
}

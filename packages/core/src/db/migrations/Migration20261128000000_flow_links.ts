import { Migration } from '@mikro-orm/migrations';
import { tenantPolicy } from './tenant-policy.js';

/**
 * Flow links: a PMOS flow kept in step with a flow of another system through a plugin's flow
 * sync (an Activepieces instance …). Per link: where it points (plugin, sync, connection,
 * remote id), what both sides looked like at the last sync (hashes of the PMOS-shaped
 * document, the remote version token, the remote snapshot the plugin needs to push again),
 * and the state a person sees — with the remote side of a conflict kept until resolved.
 */
export class Migration20261128000000_flow_links extends Migration {
  override name = 'Migration20261128000000_flow_links';

  override up(): void {
    this.addSql(`create table "flow_link" (
      "id" uuid primary key,
      "workspace_id" uuid not null references "workspace" ("id") on delete cascade,
      "flow_id" uuid not null unique references "flow" ("id") on delete cascade,
      "plugin_id" text not null,
      "sync_id" text not null,
      "connection_id" uuid not null references "connection" ("id") on delete cascade,
      "external_id" text not null,
      "state" text not null default 'linked'
        check ("state" in ('linked', 'in_sync', 'pending_push', 'conflict', 'error')),
      "error" text null,
      "last_pushed_revision" integer null,
      "local_hash" text null,
      "remote_hash" text null,
      "last_remote_version" text null,
      "last_remote_updated_at" timestamptz null,
      "remote_snapshot" jsonb null,
      "conflict" jsonb null,
      "synced_at" timestamptz null,
      "lease_until" timestamptz null,
      "created_at" timestamptz not null default now(),
      "updated_at" timestamptz not null default now(),
      unique ("workspace_id", "connection_id", "external_id")
    );`);
    this.addSql('create index "flow_link_workspace" on "flow_link" ("workspace_id", "state");');
    for (const statement of tenantPolicy('flow_link')) this.addSql(statement);
  }

  override down(): void {
    this.addSql('drop table if exists "flow_link" cascade;');
  }
}

import { Migration } from '@mikro-orm/migrations';
import { tenantPolicy } from './tenant-policy.js';

/** `ctx.store`: each plugin's key-value data, per workspace and optionally per flow. */
export class Migration20261125090000_plugin_store extends Migration {
  override name = 'Migration20261125090000_plugin_store';

  override up(): void {
    this.addSql(`create table "plugin_store" (
      "workspace_id" uuid not null references "workspace" ("id") on delete cascade,
      "plugin_id" text not null,
      "scope" text not null check ("scope" in ('workspace', 'flow')),
      "scope_id" text not null default '',
      "key" text not null,
      "value" jsonb not null,
      "updated_at" timestamptz not null default now(),
      primary key ("workspace_id", "plugin_id", "scope", "scope_id", "key")
    );`);
    for (const statement of tenantPolicy('plugin_store')) this.addSql(statement);
  }

  override down(): void {
    this.addSql('drop table if exists "plugin_store";');
  }
}

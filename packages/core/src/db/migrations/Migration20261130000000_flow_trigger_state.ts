import { Migration } from '@mikro-orm/migrations';
import { tenantPolicy } from './tenant-policy.js';

/**
 * The trigger PMOS last turned on for a flow (its `onEnable` ran): what `onDisable` needs
 * to turn it off again — after an edit, when the flow is turned off, or once it is deleted
 * (so the row outlives its flow). A failed `onEnable` is kept with its error for the flow
 * to show.
 */
export class Migration20261130000000_flow_trigger_state extends Migration {
  override name = 'Migration20261130000000_flow_trigger_state';

  override up(): void {
    this.addSql(`create table "flow_trigger_state" (
      "flow_id" uuid primary key,
      "workspace_id" uuid not null references "workspace" ("id") on delete cascade,
      "plugin_id" text not null,
      "connector_id" text not null,
      "trigger_id" text not null,
      "input" jsonb not null,
      "status" text not null check ("status" in ('enabled', 'failed')),
      "error" jsonb null,
      "updated_at" timestamptz not null default now()
    );`);
    this.addSql(
      'create index "flow_trigger_state_workspace" on "flow_trigger_state" ("workspace_id");',
    );
    for (const statement of tenantPolicy('flow_trigger_state')) this.addSql(statement);
  }

  override down(): void {
    this.addSql('drop table if exists "flow_trigger_state" cascade;');
  }
}

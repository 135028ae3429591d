import { Migration } from '@mikro-orm/migrations';
import { tenantPolicy } from './tenant-policy.js';

/**
 * Tool marks: for a connection to a server of tools (an MCP server …), a workspace admin's
 * word on one of its tools — safe (runs without asking), gated (chat asks first) or blocked.
 * A tool without a mark runs only when the server says it only reads.
 */
export class Migration20261129000000_tool_marks extends Migration {
  override name = 'Migration20261129000000_tool_marks';

  override up(): void {
    this.addSql(`create table "connection_tool_mark" (
      "workspace_id" uuid not null references "workspace" ("id") on delete cascade,
      "connection_id" uuid not null references "connection" ("id") on delete cascade,
      "tool" text not null check (length("tool") between 1 and 200),
      "mark" text not null check ("mark" in ('safe', 'gated', 'blocked')),
      "marked_by" uuid null references "app_user" ("id") on delete set null,
      "marked_at" timestamptz not null default now(),
      primary key ("connection_id", "tool")
    );`);
    this.addSql(
      'create index "connection_tool_mark_workspace" on "connection_tool_mark" ("workspace_id");',
    );
    for (const statement of tenantPolicy('connection_tool_mark')) this.addSql(statement);
  }

  override down(): void {
    this.addSql('drop table if exists "connection_tool_mark" cascade;');
  }
}

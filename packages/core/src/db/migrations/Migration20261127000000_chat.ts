import { Migration } from '@mikro-orm/migrations';
import { tenantPolicy } from './tenant-policy.js';

/**
 * Chat: a workspace's model settings; conversations (per user, optionally about one flow);
 * turns with the model messages they need to resume; the ordered trace events of each
 * conversation; approvals that pause a turn until someone decides (or they expire); and the
 * history of every tool call that ran, with what is needed to replay it.
 */
export class Migration20261127000000_chat extends Migration {
  override name = 'Migration20261127000000_chat';

  override up(): void {
    this.addSql(`create table "chat_settings" (
      "workspace_id" uuid primary key references "workspace" ("id") on delete cascade,
      "connection_id" uuid null references "connection" ("id") on delete set null,
      "model_id" text null,
      "updated_by" uuid null references "app_user" ("id") on delete set null,
      "updated_at" timestamptz not null default now()
    );`);
    for (const statement of tenantPolicy('chat_settings')) this.addSql(statement);

    this.addSql(`create table "chat_conversation" (
      "id" uuid primary key,
      "workspace_id" uuid not null references "workspace" ("id") on delete cascade,
      "user_id" uuid not null references "app_user" ("id") on delete cascade,
      "flow_id" uuid null references "flow" ("id") on delete set null,
      "title" text not null,
      "created_at" timestamptz not null default now(),
      "updated_at" timestamptz not null default now()
    );`);
    this.addSql(`create index "chat_conversation_owner" on "chat_conversation"
      ("workspace_id", "user_id", "updated_at" desc, "id");`);
    for (const statement of tenantPolicy('chat_conversation')) this.addSql(statement);

    this.addSql(`create table "chat_turn" (
      "id" uuid primary key,
      "workspace_id" uuid not null references "workspace" ("id") on delete cascade,
      "conversation_id" uuid not null references "chat_conversation" ("id") on delete cascade,
      "user_id" uuid null references "app_user" ("id") on delete set null,
      "kind" text not null default 'agent' check ("kind" in ('agent', 'replay')),
      "status" text not null default 'running' check ("status" in
        ('running', 'awaiting_approval', 'completed', 'failed')),
      "user_text" text not null,
      "assistant_text" text not null default '',
      "messages" jsonb not null default '[]',
      "provider" text null,
      "model" text null,
      "input_tokens" integer not null default 0,
      "output_tokens" integer not null default 0,
      "error" jsonb null,
      "lease_until" timestamptz null,
      "started_at" timestamptz not null default now(),
      "finished_at" timestamptz null
    );`);
    this.addSql(
      'create index "chat_turn_conversation" on "chat_turn" ("conversation_id", "started_at", "id");',
    );
    // Turns a process died in the middle of: found and resumed by any process.
    this.addSql(`create index "chat_turn_unfinished" on "chat_turn" ("lease_until")
      where "status" = 'running';`);
    for (const statement of tenantPolicy('chat_turn')) this.addSql(statement);

    this.addSql(`create table "chat_event" (
      "conversation_id" uuid not null references "chat_conversation" ("id") on delete cascade,
      "seq" integer not null,
      "workspace_id" uuid not null references "workspace" ("id") on delete cascade,
      "turn_id" uuid not null references "chat_turn" ("id") on delete cascade,
      "type" text not null,
      "data" jsonb not null,
      "at" timestamptz not null default now(),
      primary key ("conversation_id", "seq")
    );`);
    for (const statement of tenantPolicy('chat_event')) this.addSql(statement);

    this.addSql(`create table "chat_approval" (
      "id" uuid primary key,
      "workspace_id" uuid not null references "workspace" ("id") on delete cascade,
      "conversation_id" uuid not null references "chat_conversation" ("id") on delete cascade,
      "turn_id" uuid not null references "chat_turn" ("id") on delete cascade,
      "approval_key" text not null,
      "tool_call_id" text not null,
      "tool" text not null,
      "tool_title" text not null,
      "plugin_id" text null,
      "plugin_version" text null,
      "arguments" jsonb not null,
      "risk" text not null check ("risk" in ('write', 'destructive')),
      "status" text not null default 'pending' check ("status" in
        ('pending', 'approved', 'rejected', 'expired')),
      "requested_by" uuid null references "app_user" ("id") on delete set null,
      "decided_by" uuid null references "app_user" ("id") on delete set null,
      "decided_at" timestamptz null,
      "reason" text null,
      "expires_at" timestamptz not null,
      "created_at" timestamptz not null default now()
    );`);
    this.addSql('create index "chat_approval_turn" on "chat_approval" ("turn_id", "created_at");');
    this.addSql(`create index "chat_approval_pending" on "chat_approval" ("expires_at")
      where "status" = 'pending';`);
    for (const statement of tenantPolicy('chat_approval')) this.addSql(statement);

    this.addSql(`create table "chat_operation" (
      "id" uuid primary key,
      "workspace_id" uuid not null references "workspace" ("id") on delete cascade,
      "conversation_id" uuid null references "chat_conversation" ("id") on delete set null,
      "turn_id" uuid null references "chat_turn" ("id") on delete set null,
      "user_id" uuid null references "app_user" ("id") on delete set null,
      "tool" text not null,
      "tool_title" text not null,
      "plugin_id" text null,
      "plugin_version" text null,
      "arguments" jsonb not null,
      "risk" text not null check ("risk" in ('read', 'write', 'destructive')),
      "outcome" text not null check ("outcome" in ('succeeded', 'failed')),
      "result_digest" text null,
      "error" jsonb null,
      "model" text null,
      "replay_of" uuid null references "chat_operation" ("id") on delete set null,
      "duration_ms" integer not null default 0,
      "executed_at" timestamptz not null default now()
    );`);
    this.addSql(`create index "chat_operation_workspace" on "chat_operation"
      ("workspace_id", "executed_at" desc, "id");`);
    for (const statement of tenantPolicy('chat_operation')) this.addSql(statement);
  }

  override down(): void {
    for (const table of [
      'chat_operation',
      'chat_approval',
      'chat_event',
      'chat_turn',
      'chat_conversation',
      'chat_settings',
    ]) {
      this.addSql(`drop table if exists "${table}";`);
    }
  }
}

import { Migration } from '@mikro-orm/migrations';
import { tenantPolicy } from './tenant-policy.js';

/**
 * Flow runs: one row per run with its ordered step records (a JSON array written by the
 * worker), the raw trigger delivery, and what the worker and the reaper need (heartbeat,
 * cancellation request). Flows get the secret of their webhook URL; polling triggers remember
 * the events they have already turned into runs.
 */
export class Migration20261126000000_flow_runs extends Migration {
  override name = 'Migration20261126000000_flow_runs';

  override up(): void {
    this.addSql(`alter table "flow" add column "webhook_secret" text not null
      default replace(gen_random_uuid()::text, '-', '') || replace(gen_random_uuid()::text, '-', '');`);

    this.addSql(`create table "flow_run" (
      "id" uuid primary key,
      "workspace_id" uuid not null references "workspace" ("id") on delete cascade,
      "flow_id" uuid not null references "flow" ("id") on delete cascade,
      "flow_version_id" uuid null references "flow_version" ("id") on delete cascade,
      "draft_document" jsonb null,
      "trigger_kind" text not null check ("trigger_kind" in ('manual', 'webhook', 'schedule', 'polling', 'test')),
      "status" text not null default 'QUEUED' check ("status" in
        ('QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED', 'TIMED_OUT', 'SKIPPED')),
      "trigger_payload" jsonb null,
      "payload_is_event" boolean not null default false,
      "steps" jsonb not null default '[]',
      "records_dropped" integer not null default 0,
      "data_bytes" integer not null default 0,
      "job_id" uuid not null default gen_random_uuid(),
      "error" jsonb null,
      "response_mode" text null check ("response_mode" in ('async', 'sync')),
      "response" jsonb null,
      "attempt" integer not null default 1,
      "resume_from" text null,
      "cancel_requested" boolean not null default false,
      "worker_id" text null,
      "heartbeat_at" timestamptz null,
      "created_by" uuid null references "app_user" ("id") on delete set null,
      "created_at" timestamptz not null default now(),
      "started_at" timestamptz null,
      "finished_at" timestamptz null,
      check (("flow_version_id" is null) <> ("draft_document" is null))
    );`);
    this.addSql(
      'create index "flow_run_workspace_created" on "flow_run" ("workspace_id", "created_at" desc, "id");',
    );
    this.addSql(
      'create index "flow_run_flow_created" on "flow_run" ("flow_id", "created_at" desc, "id");',
    );
    // The worker's and the reaper's working set stays small: only unfinished runs.
    this.addSql(`create index "flow_run_unfinished" on "flow_run" ("status", "heartbeat_at")
      where "status" in ('QUEUED', 'RUNNING');`);
    this.addSql(
      `create index "flow_run_finished_at" on "flow_run" ("finished_at") where "finished_at" is not null;`,
    );
    // Run data storage per workspace: summed and pruned oldest first by the reaper.
    this.addSql(`create index "flow_run_storage" on "flow_run" ("workspace_id", "finished_at" desc, "id")
      include ("data_bytes") where "finished_at" is not null;`);
    for (const statement of tenantPolicy('flow_run')) this.addSql(statement);

    this.addSql(`create table "flow_trigger_seen" (
      "workspace_id" uuid not null references "workspace" ("id") on delete cascade,
      "flow_id" uuid not null references "flow" ("id") on delete cascade,
      "dedupe_key" text not null,
      "seen_at" timestamptz not null default now(),
      primary key ("flow_id", "dedupe_key")
    );`);
    for (const statement of tenantPolicy('flow_trigger_seen')) this.addSql(statement);
  }

  override down(): void {
    this.addSql('drop table if exists "flow_trigger_seen";');
    this.addSql('drop table if exists "flow_run";');
    this.addSql('alter table "flow" drop column if exists "webhook_secret";');
  }
}

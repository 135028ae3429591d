import { Migration } from '@mikro-orm/migrations';

/** Accounts, workspaces, memberships, sessions, API tokens, invites, sign-in throttling, audit. */
export class Migration20261125010000_identity extends Migration {
  override name = 'Migration20261125010000_identity';

  override up(): void {
    this.addSql(`create table "app_user" (
      "id" uuid primary key,
      "email" text not null,
      "name" text not null,
      "password_hash" text not null,
      "platform_role" text null check ("platform_role" in ('super_admin')),
      "created_at" timestamptz not null default now(),
      "updated_at" timestamptz not null default now()
    );`);
    this.addSql('create unique index "app_user_email_unique" on "app_user" ("email");');
    // The guard behind the first-account bootstrap: at most one super_admin, ever.
    this.addSql(
      `create unique index "app_user_one_super_admin" on "app_user" ("platform_role") where "platform_role" = 'super_admin';`,
    );

    this.addSql(`create table "workspace" (
      "id" uuid primary key,
      "name" text not null,
      "created_by" uuid null references "app_user" ("id") on delete set null,
      "created_at" timestamptz not null default now()
    );`);

    this.addSql(`create table "workspace_membership" (
      "workspace_id" uuid not null references "workspace" ("id") on delete cascade,
      "user_id" uuid not null references "app_user" ("id") on delete cascade,
      "role" text not null check ("role" in ('workspace_admin', 'member', 'viewer')),
      "created_at" timestamptz not null default now(),
      primary key ("workspace_id", "user_id")
    );`);
    this.addSql('create index "workspace_membership_user" on "workspace_membership" ("user_id");');

    this.addSql(`create table "session" (
      "id" uuid primary key,
      "user_id" uuid not null references "app_user" ("id") on delete cascade,
      "token_hash" text not null unique,
      "created_at" timestamptz not null default now(),
      "last_seen_at" timestamptz not null default now(),
      "expires_at" timestamptz not null,
      "revoked_at" timestamptz null,
      "ip" text null,
      "user_agent" text null
    );`);
    this.addSql('create index "session_user" on "session" ("user_id");');

    this.addSql(`create table "api_token" (
      "id" uuid primary key,
      "user_id" uuid not null references "app_user" ("id") on delete cascade,
      "name" text not null,
      "token_hash" text not null unique,
      "hint" text not null,
      "created_at" timestamptz not null default now(),
      "last_used_at" timestamptz null,
      "expires_at" timestamptz null,
      "revoked_at" timestamptz null
    );`);
    this.addSql('create index "api_token_user" on "api_token" ("user_id");');

    this.addSql(`create table "invite" (
      "id" uuid primary key,
      "workspace_id" uuid not null references "workspace" ("id") on delete cascade,
      "email" text not null,
      "role" text not null check ("role" in ('workspace_admin', 'member', 'viewer')),
      "token_hash" text not null unique,
      "invited_by" uuid null references "app_user" ("id") on delete set null,
      "created_at" timestamptz not null default now(),
      "expires_at" timestamptz not null,
      "accepted_at" timestamptz null,
      "accepted_by" uuid null references "app_user" ("id") on delete set null,
      "revoked_at" timestamptz null
    );`);
    this.addSql('create index "invite_workspace" on "invite" ("workspace_id");');

    this.addSql(`create table "auth_throttle" (
      "key" text primary key,
      "failures" integer not null default 0,
      "locked_until" timestamptz null,
      "updated_at" timestamptz not null default now()
    );`);

    // Append-only by convention now; the kernel security work adds the hash chain and the
    // trigger that refuses UPDATE and DELETE. No foreign keys: records outlive what they name.
    this.addSql(`create table "audit_event" (
      "id" bigint generated always as identity primary key,
      "occurred_at" timestamptz not null default now(),
      "workspace_id" uuid null,
      "actor_user_id" uuid null,
      "actor_kind" text not null check ("actor_kind" in ('user', 'api_token', 'system', 'anonymous')),
      "action" text not null,
      "target_type" text null,
      "target_id" text null,
      "outcome" text not null check ("outcome" in ('success', 'failure', 'denied')),
      "ip" text null,
      "user_agent" text null,
      "request_id" text null,
      "metadata" jsonb not null default '{}'
    );`);
    this.addSql('create index "audit_event_workspace" on "audit_event" ("workspace_id", "id");');
    this.addSql('create index "audit_event_action" on "audit_event" ("action", "id");');
  }

  override down(): void {
    for (const table of [
      'audit_event',
      'auth_throttle',
      'invite',
      'api_token',
      'session',
      'workspace_membership',
      'workspace',
      'app_user',
    ]) {
      this.addSql(`drop table if exists "${table}";`);
    }
  }
}

import { Migration } from '@mikro-orm/migrations';

/** The secrets vault: per-workspace data keys wrapped by the master key, and the secrets. */
export class Migration20261125030000_secrets extends Migration {
  override name = 'Migration20261125030000_secrets';

  override up(): void {
    this.addSql(`create table "workspace_data_key" (
      "workspace_id" uuid not null references "workspace" ("id") on delete cascade,
      "version" integer not null,
      "master_key_id" text not null,
      "wrapped_key" bytea not null,
      "created_at" timestamptz not null default now(),
      primary key ("workspace_id", "version")
    );`);
    this.addSql(`create table "secret" (
      "id" uuid primary key,
      "workspace_id" uuid not null references "workspace" ("id") on delete cascade,
      "name" text not null,
      "description" text null,
      "data_key_version" integer not null,
      "ciphertext" bytea not null,
      "hint" text not null,
      "created_by" uuid null references "app_user" ("id") on delete set null,
      "created_at" timestamptz not null default now(),
      "updated_at" timestamptz not null default now()
    );`);
    this.addSql(
      'create unique index "secret_workspace_name" on "secret" ("workspace_id", "name");',
    );
  }

  override down(): void {
    this.addSql('drop table if exists "secret";');
    this.addSql('drop table if exists "workspace_data_key";');
  }
}

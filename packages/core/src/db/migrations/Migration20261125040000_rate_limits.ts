import { Migration } from '@mikro-orm/migrations';

/** Request-rate windows shared by every PMOS process, and the super_admin's limit overrides. */
export class Migration20261125040000_rate_limits extends Migration {
  override name = 'Migration20261125040000_rate_limits';

  override up(): void {
    this.addSql(`create table "rate_window" (
      "key" text not null,
      "window_start" timestamptz not null,
      "count" integer not null default 0,
      primary key ("key", "window_start")
    );`);
    this.addSql(`create table "limit_override" (
      "limit_name" text not null,
      "subject" text not null,
      "value" integer not null check ("value" >= 0),
      "updated_by" uuid null references "app_user" ("id") on delete set null,
      "updated_at" timestamptz not null default now(),
      primary key ("limit_name", "subject")
    );`);
  }

  override down(): void {
    this.addSql('drop table if exists "limit_override";');
    this.addSql('drop table if exists "rate_window";');
  }
}

import { Migration } from '@mikro-orm/migrations';

export class Migration20261125000000_instance extends Migration {
  override name = 'Migration20261125000000_instance';

  override up(): void {
    this.addSql(`create table "instance" (
      "id" uuid not null primary key,
      "name" text not null default 'PMOS',
      "created_at" timestamptz not null default now()
    );`);
  }

  override down(): void {
    this.addSql('drop table if exists "instance";');
  }
}

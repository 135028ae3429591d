import { Migration } from '@mikro-orm/migrations';
import { tenantPolicy } from './tenant-policy.js';

/**
 * OAuth2 sign-ins in progress: one row per authorization request, found again by the hash
 * of its `state`, used once, and short-lived. The PKCE verifier and client secret are sealed.
 */
export class Migration20261125080000_oauth2_pending extends Migration {
  override name = 'Migration20261125080000_oauth2_pending';

  override up(): void {
    this.addSql(`create table "oauth2_pending" (
      "id" uuid primary key,
      "workspace_id" uuid not null references "workspace" ("id") on delete cascade,
      "user_id" uuid not null references "app_user" ("id") on delete cascade,
      "state_hash" text not null unique,
      "plugin_id" text not null,
      "connector_id" text not null,
      "display_name" text not null,
      "data_key_version" integer not null,
      "ciphertext" bytea not null,
      "expires_at" timestamptz not null,
      "created_at" timestamptz not null default now()
    );`);
    for (const statement of tenantPolicy('oauth2_pending')) this.addSql(statement);
  }

  override down(): void {
    this.addSql('drop table if exists "oauth2_pending";');
  }
}

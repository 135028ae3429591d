import type { Migration } from '@mikro-orm/migrations';
import { Migration20261125000000_instance } from './Migration20261125000000_instance.js';
import { Migration20261125010000_identity } from './Migration20261125010000_identity.js';
import { Migration20261125020000_audit_chain } from './Migration20261125020000_audit_chain.js';
import { Migration20261125030000_secrets } from './Migration20261125030000_secrets.js';
import { Migration20261125040000_rate_limits } from './Migration20261125040000_rate_limits.js';
import { Migration20261125050000_row_level_security } from './Migration20261125050000_row_level_security.js';
import { Migration20261125060000_quota_usage } from './Migration20261125060000_quota_usage.js';
import { Migration20261125070000_plugins } from './Migration20261125070000_plugins.js';
import { Migration20261125080000_oauth2_pending } from './Migration20261125080000_oauth2_pending.js';
import { Migration20261125090000_plugin_store } from './Migration20261125090000_plugin_store.js';
import { Migration20261125100000_flows } from './Migration20261125100000_flows.js';
import { Migration20261126000000_flow_runs } from './Migration20261126000000_flow_runs.js';
import { Migration20261127000000_chat } from './Migration20261127000000_chat.js';
import { Migration20261128000000_flow_links } from './Migration20261128000000_flow_links.js';
import { Migration20261129000000_tool_marks } from './Migration20261129000000_tool_marks.js';
import { Migration20261130000000_flow_trigger_state } from './Migration20261130000000_flow_trigger_state.js';

type MigrationClass = new (...args: ConstructorParameters<typeof Migration>) => Migration;

/**
 * Every committed migration, oldest first. Listed explicitly (not discovered by glob) so the
 * bundled server carries them and the order never depends on the file system.
 */
export const migrations: { name: string; class: MigrationClass }[] = [
  { name: 'Migration20261125000000_instance', class: Migration20261125000000_instance },
  { name: 'Migration20261125010000_identity', class: Migration20261125010000_identity },
  { name: 'Migration20261125020000_audit_chain', class: Migration20261125020000_audit_chain },
  { name: 'Migration20261125030000_secrets', class: Migration20261125030000_secrets },
  { name: 'Migration20261125040000_rate_limits', class: Migration20261125040000_rate_limits },
  {
    name: 'Migration20261125050000_row_level_security',
    class: Migration20261125050000_row_level_security,
  },
  { name: 'Migration20261125060000_quota_usage', class: Migration20261125060000_quota_usage },
  { name: 'Migration20261125070000_plugins', class: Migration20261125070000_plugins },
  {
    name: 'Migration20261125080000_oauth2_pending',
    class: Migration20261125080000_oauth2_pending,
  },
  { name: 'Migration20261125090000_plugin_store', class: Migration20261125090000_plugin_store },
  { name: 'Migration20261125100000_flows', class: Migration20261125100000_flows },
  { name: 'Migration20261126000000_flow_runs', class: Migration20261126000000_flow_runs },
  { name: 'Migration20261127000000_chat', class: Migration20261127000000_chat },
  { name: 'Migration20261128000000_flow_links', class: Migration20261128000000_flow_links },
  { name: 'Migration20261129000000_tool_marks', class: Migration20261129000000_tool_marks },
  {
    name: 'Migration20261130000000_flow_trigger_state',
    class: Migration20261130000000_flow_trigger_state,
  },
];

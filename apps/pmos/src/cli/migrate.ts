import { migrateDown, migrateUp, migrationStatus, openDatabase } from '@pmos/core';
import { loadConfig } from '../server/config.js';

type MigrateCommand =
  | { direction: 'up' }
  | { direction: 'down'; steps: number }
  | { direction: 'status' };

export async function runMigrateCommand(command: MigrateCommand): Promise<void> {
  const config = loadConfig();
  const db = await openDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    poolMax: 1,
  });
  const out = (line: string) => process.stdout.write(`${line}\n`);
  try {
    if (command.direction === 'up') {
      const applied = await migrateUp(db.orm);
      out(
        applied.length
          ? applied.map((name) => `applied  ${name}`).join('\n')
          : 'Nothing to apply: the database is up to date.',
      );
    } else if (command.direction === 'down') {
      const reverted = await migrateDown(db.orm, command.steps);
      out(
        reverted.length
          ? reverted.map((name) => `reverted ${name}`).join('\n')
          : 'Nothing to revert: no migration is applied.',
      );
    } else {
      const states = await migrationStatus(db.orm);
      for (const state of states) {
        const when = state.appliedAt ? `  ${state.appliedAt.toISOString()}` : '';
        out(`${state.status.padEnd(8)} ${state.name}${when}`);
      }
      const pending = states.filter((state) => state.status === 'pending').length;
      out(pending ? `${pending} pending: run "pmos migrate up".` : 'Up to date.');
    }
  } finally {
    await db.close();
  }
}

import { migrateDown, migrateUp, migrationStatus } from '@pmos/core';
import { withCliDatabase } from './database.js';

type MigrateCommand =
  | { direction: 'up' }
  | { direction: 'down'; steps: number }
  | { direction: 'status' };

const out = (line: string) => process.stdout.write(`${line}\n`);

export function runMigrateCommand(command: MigrateCommand): Promise<void> {
  return withCliDatabase(async ({ orm }) => {
    if (command.direction === 'up') {
      const applied = await migrateUp(orm);
      out(
        applied.length
          ? applied.map((name) => `applied  ${name}`).join('\n')
          : 'Nothing to apply: the database is up to date.',
      );
    } else if (command.direction === 'down') {
      const reverted = await migrateDown(orm, command.steps);
      out(
        reverted.length
          ? reverted.map((name) => `reverted ${name}`).join('\n')
          : 'Nothing to revert: no migration is applied.',
      );
    } else {
      const states = await migrationStatus(orm);
      for (const state of states) {
        const when = state.appliedAt ? `  ${state.appliedAt.toISOString()}` : '';
        out(`${state.status.padEnd(8)} ${state.name}${when}`);
      }
      const pending = states.filter((state) => state.status === 'pending').length;
      out(pending ? `${pending} pending: run "pmos migrate up".` : 'Up to date.');
    }
  });
}

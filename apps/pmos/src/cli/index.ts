import { fileURLToPath } from 'node:url';
import { isPmosError } from '@pmos/core';
import closeWithGrace from 'close-with-grace';
import { Command, InvalidArgumentError } from 'commander';
import { loadConfig } from '../server/config.js';
import { createLogger } from '../server/logger.js';
import { startPmos, startWorker } from '../server/start.js';
import { runTransferSuperAdmin } from './admin.js';
import { runAuditVerify } from './audit.js';
import { runMigrateCommand } from './migrate.js';
import { runRotateMaster } from './secrets.js';

/** The built web app sits beside the bundled CLI: dist/cli.js → dist/web/. */
const webRoot = fileURLToPath(new URL('./web/', import.meta.url));

const program = new Command('pmos')
  .description('PMOS: automations and AI operations for your company.')
  .showHelpAfterError();

program
  .command('start')
  .description('start the PMOS server (API, worker and web app) on the configured database')
  .action(async () => {
    const config = loadConfig();
    const logger = createLogger(config.logLevel);
    const pmos = await startPmos(config, { logger, webRoot });
    logger.info({ url: pmos.url }, 'PMOS ready');
    process.stdout.write(`PMOS ready on ${pmos.url}\n`);
    closeWithGrace({ delay: 10_000 }, async ({ signal, err }) => {
      if (err) logger.error({ err }, 'shutting down after an unexpected error');
      else logger.info({ signal }, 'shutting down');
      await pmos.close();
    });
  });

program
  .command('worker')
  .description('run flows only (no HTTP), beside pmos start on the same PostgreSQL (DATABASE_URL)')
  .action(async () => {
    const config = loadConfig();
    const logger = createLogger(config.logLevel);
    const worker = await startWorker(config, { logger });
    logger.info('PMOS worker ready');
    process.stdout.write('PMOS worker ready\n');
    closeWithGrace({ delay: 15_000 }, async ({ signal, err }) => {
      if (err) logger.error({ err }, 'shutting down after an unexpected error');
      else logger.info({ signal }, 'shutting down');
      await worker.close();
    });
  });

const migrate = program.command('migrate').description('manage the database schema');
migrate
  .command('up')
  .description('apply every pending migration')
  .action(() => runMigrateCommand({ direction: 'up' }));
migrate
  .command('down')
  .description('revert the most recently applied migrations')
  .option('--steps <n>', 'how many migrations to revert', parseSteps, 1)
  .action((options: { steps: number }) =>
    runMigrateCommand({ direction: 'down', steps: options.steps }),
  );
migrate
  .command('status')
  .description('list applied and pending migrations')
  .action(() => runMigrateCommand({ direction: 'status' }));

program
  .command('admin')
  .description('instance administration, run on the server')
  .command('transfer-super-admin')
  .argument('<email>', 'the account that becomes super_admin')
  .description('make another account the super_admin (audit-logged; there is no API for this)')
  .action((email: string) => runTransferSuperAdmin(email));

program
  .command('audit')
  .description('the tamper-evident audit log')
  .command('verify')
  .description('check every audit chain; exits 1 and names the first broken link if one fails')
  .action(() => runAuditVerify());

program
  .command('secrets')
  .description('the secrets vault')
  .command('rotate-master')
  .description('re-wrap every workspace data key under the current (new) master key')
  .action(() => runRotateMaster());

function parseSteps(value: string): number {
  const steps = Number(value);
  if (!Number.isInteger(steps) || steps < 1) {
    throw new InvalidArgumentError('must be a whole number of 1 or more.');
  }
  return steps;
}

program.parseAsync().catch((error: unknown) => {
  // Expected failures (bad configuration, busy port, damaged data) are one clear line.
  if (isPmosError(error)) {
    process.stderr.write(`pmos: ${error.message}\n`);
  } else {
    process.stderr.write(
      `pmos: unexpected error: ${error instanceof Error ? error.stack : String(error)}\n`,
    );
  }
  process.exit(1);
});

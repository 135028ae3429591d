import { spawn } from 'node:child_process';
import { stat } from 'node:fs/promises';
import { PassThrough } from 'node:stream';
import { PmosError, recordAudit } from '@pmos/core';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorBodySchema, shellBodySchema } from '../../api/schemas.js';
import { access } from '../auth/access.js';
import { actorOf } from '../auth/request-auth.js';

// The shell's children never see PMOS's own credentials.
const hiddenVariables =
  /^(PMOS_MASTER_KEY.*|PMOS_METRICS_TOKEN|DATABASE_URL|PMOS_TEST_DATABASE_URL)$/;

/**
 * The super_admin's shell on the server host: runs one command, streams its output as
 * NDJSON lines, ends with its exit. Off unless PMOS_ENABLE_SHELL=1; every run is audited.
 */
export function registerShellRoutes(app: FastifyInstance, options: { enabled: boolean }): void {
  app.withTypeProvider<ZodTypeProvider>().post(
    '/api/admin/shell',
    {
      config: { access: access.platform('shell.use', { sessionOnly: true }) },
      schema: {
        tags: ['admin'],
        summary: 'Run a command on the server host (super_admin, signed in with a session)',
        description:
          'Streams application/x-ndjson: {"type":"stdout"|"stderr","data"} lines, then {"type":"exit","code","signal","timedOut","durationMs"}.',
        body: shellBodySchema,
        response: {
          200: z.unknown().meta({ description: 'NDJSON stream of the command output' }),
          400: errorBodySchema,
          403: errorBodySchema,
        },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const { command, timeoutMs } = request.body;
      if (!options.enabled) {
        await recordAudit(request.em, actor, {
          action: 'shell.run',
          outcome: 'denied',
          metadata: { command, reason: 'shell_disabled' },
        });
        throw new PmosError(
          'shell_disabled',
          'The shell is turned off on this instance. Start PMOS with PMOS_ENABLE_SHELL=1 to use it.',
          { status: 403 },
        );
      }
      const cwd = request.body.cwd ?? process.cwd();
      if (!(await stat(cwd).catch(() => null))?.isDirectory()) {
        throw new PmosError('invalid_cwd', `The working directory ${cwd} does not exist.`, {
          status: 400,
        });
      }

      const env = Object.fromEntries(
        Object.entries(process.env).filter(([key]) => !hiddenVariables.test(key)),
      );
      const started = Date.now();
      // Its own process group, so a timeout or a closed tab stops everything the command started.
      const child = spawn('/bin/sh', ['-c', command], {
        cwd,
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
        detached: true,
      });
      const killAll = () => {
        try {
          if (child.pid) process.kill(-child.pid, 'SIGKILL');
        } catch {
          // already gone
        }
      };
      const out = new PassThrough();
      const send = (line: object) => out.write(`${JSON.stringify(line)}\n`);
      child.stdout.on('data', (data: Buffer) => send({ type: 'stdout', data: data.toString() }));
      child.stderr.on('data', (data: Buffer) => send({ type: 'stderr', data: data.toString() }));
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        killAll();
      }, timeoutMs);
      // A closed browser tab stops the command.
      request.raw.once('close', () => {
        if (child.exitCode === null && child.signalCode === null) killAll();
      });
      child.once('error', (error) => send({ type: 'stderr', data: `${error.message}\n` }));
      child.once('close', (code, signal) => {
        clearTimeout(timer);
        const durationMs = Date.now() - started;
        send({ type: 'exit', code, signal, timedOut, durationMs });
        out.end();
        recordAudit(request.em.fork(), actor, {
          action: 'shell.run',
          outcome: code === 0 ? 'success' : 'failure',
          metadata: { command, cwd, exitCode: code, signal, timedOut, durationMs },
        }).catch((error: unknown) => request.log.error({ err: error }, 'shell audit failed'));
      });
      return reply.type('application/x-ndjson').header('cache-control', 'no-store').send(out);
    },
  );
}

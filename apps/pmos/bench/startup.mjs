// pnpm bench (in apps/pmos: pnpm bench): how long `pmos start` takes from process spawn to
// "PMOS ready", against a baseline measured in the same run — a bare Node process printing
// one line — so a noisy machine shows up in both columns. Target (issue 2): under 10 s.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTestDatabase } from '@pmos/core/testing';

const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const runs = Number(process.env.BENCH_RUNS ?? 5);

function timeUntil(args, env, pattern) {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(process.execPath, args, {
      env: { PATH: process.env.PATH, LOG_LEVEL: 'warn', PORT: '0', ...env },
    });
    let output = '';
    const onData = (chunk) => {
      output += chunk;
      if (pattern.test(output)) {
        const ms = Number(process.hrtime.bigint() - started) / 1e6;
        child.once('exit', () => resolve(ms));
        child.kill('SIGTERM');
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => {
      if (!pattern.test(output)) reject(new Error(`exited ${code} before ready:\n${output}`));
    });
  });
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const fmt = (ms) => `${ms.toFixed(0).padStart(6)} ms`;

async function measure(label, makeRun) {
  const times = [];
  for (let i = 0; i < runs; i++) times.push(await makeRun(i));
  console.log(
    `${label.padEnd(44)} median ${fmt(median(times))}   min ${fmt(Math.min(...times))}   max ${fmt(Math.max(...times))}`,
  );
  return median(times);
}

const scratch = mkdtempSync(join(tmpdir(), 'pmos-bench-'));
try {
  console.log(`pmos start → "PMOS ready", ${runs} runs each\n`);
  const baseline = await measure('baseline: node prints one line', () =>
    timeUntil(
      ['-e', 'console.log("PMOS ready on x"); setInterval(() => {}, 1000)'],
      {},
      /PMOS ready/,
    ),
  );
  const fresh = await measure('embedded, new data dir (creates the cluster)', (i) =>
    timeUntil([cli, 'start'], { PMOS_DATA_DIR: join(scratch, `fresh-${i}`) }, /PMOS ready on/),
  );
  const existing = join(scratch, 'existing');
  await timeUntil([cli, 'start'], { PMOS_DATA_DIR: existing }, /PMOS ready on/);
  const restart = await measure('embedded, existing data dir (restart)', () =>
    timeUntil([cli, 'start'], { PMOS_DATA_DIR: existing }, /PMOS ready on/),
  );
  // A database of its own on the local server (PMOS_TEST_DATABASE_URL), dropped afterwards.
  const database = await createTestDatabase(undefined);
  let external;
  try {
    external = await measure('external PostgreSQL (DATABASE_URL)', () =>
      timeUntil(
        [cli, 'start'],
        { DATABASE_URL: database.url, PMOS_MASTER_KEY: Buffer.alloc(32, 1).toString('base64') },
        /PMOS ready on/,
      ),
    );
  } finally {
    await database.drop();
  }
  const worst = Math.max(fresh, restart, external);
  console.log(
    `\nslowest median ${worst.toFixed(0)} ms = ${(worst / baseline).toFixed(1)}× the baseline; target < 10000 ms: ${worst < 10_000 ? 'met' : 'MISSED'}`,
  );
  if (worst >= 10_000) process.exitCode = 1;
} finally {
  rmSync(scratch, { recursive: true, force: true });
}

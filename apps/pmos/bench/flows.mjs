// pnpm bench flows: the flow engine's throughput and webhook latency, on the real PostgreSQL
// and on embedded PGlite, through the product itself — `pmos start` (API + worker) in its own
// process, driven over HTTP from this one. The flow: webhook → data mapper → code → webhook
// response (the built-in Core plugin). Figures:
// - accepted webhooks/s: async deliveries stored and answered 202 (64 in flight);
// - completed runs/s: those runs finished by the worker, from the first accepted to the last done;
// - sync webhook latency p50/p95/p99 at a fixed offered rate (default 100 req/s, open loop);
// - baseline in the same run: GET /healthz at the same rate, so a noisy machine shows in both.
// Targets (issue 6), on 2 cores with the real PostgreSQL: ≥ 600 completed runs/s, sync p99 < 25 ms.
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase } from '@pmos/core/testing';
import { signUpFirstAccount, startPmos, stop } from './pmos-process.mjs';

const runsToQueue = Number(process.env.BENCH_RUNS ?? 3000);
const rate = Number(process.env.BENCH_RATE ?? 100);
const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const targets = (process.env.BENCH_TARGETS ?? 'postgres,pglite').split(',');

/** The first account (super admin), generous limits, and the published, enabled flow. */
async function setUp(url) {
  const { ws, call } = await signUpFirstAccount(url);
  for (const [limitName, value] of [
    ['flow_runs_per_day', 10_000_000],
    ['api_requests_per_minute', 10_000_000],
    ['concurrent_flow_runs', 1000],
  ]) {
    await call('PUT', '/api/admin/limits', { limitName, subject: '*', value });
  }
  const plugins = await call('GET', `/api/workspaces/${ws}/plugins`);
  const version = plugins.data.find((p) => p.id === 'core').version;
  const core = { pluginId: 'core', connectorId: 'core', pluginVersion: version };
  const document = {
    displayName: 'Bench',
    schemaVersion: 1,
    trigger: {
      name: 'trigger',
      displayName: 'Webhook',
      valid: true,
      type: 'PLUGIN_TRIGGER',
      settings: { ...core, triggerId: 'webhook', input: { method: 'POST' } },
      nextAction: {
        name: 'step_1',
        displayName: 'Map',
        valid: true,
        type: 'PLUGIN',
        settings: {
          ...core,
          actionId: 'data_mapper',
          input: { mapping: { id: '{{trigger.body.id}}', amount: '{{trigger.body.amount}}' } },
        },
        nextAction: {
          name: 'step_2',
          displayName: 'Compute',
          valid: true,
          type: 'CODE',
          settings: {
            sourceCode: {
              code: 'export const code = async (inputs) => ({ total: inputs.amount * 2 });',
            },
            input: { amount: '{{step_1.amount}}' },
          },
          nextAction: {
            name: 'step_3',
            displayName: 'Answer',
            valid: true,
            type: 'PLUGIN',
            settings: {
              ...core,
              actionId: 'webhook_response',
              input: {
                status: 200,
                bodyType: 'json',
                body: { id: '{{step_1.id}}', total: '{{step_2.total}}' },
              },
            },
          },
        },
      },
    },
  };
  const flow = await call('POST', `/api/workspaces/${ws}/flows/import`, {
    pmosFlowExport: 1,
    displayName: 'Bench',
    folder: null,
    tags: [],
    document,
  });
  const published = await call('POST', `/api/workspaces/${ws}/flows/${flow.id}/operations`, {
    revision: flow.revision,
    operations: [{ type: 'LOCK_AND_PUBLISH', request: { status: 'ENABLED' } }],
  });
  return { ws, call, hook: `${url}${published.webhookPath}` };
}

const delivery = (i) => ({
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ id: `order-${i}`, amount: i }),
});

/** Fires `count` requests with `inFlight` at a time; returns the elapsed ms. */
async function closedLoop(count, inFlight, send) {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (next < count) await send(next++);
    }),
  );
  return performance.now() - started;
}

/** Open loop: one request every 1000/rate ms whatever the answers do; latencies in ms. */
async function openLoop(send) {
  const total = rate * seconds;
  const latencies = [];
  const started = performance.now();
  const pending = [];
  for (let i = 0; i < total; i++) {
    const due = started + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    const sent = performance.now();
    pending.push(send(i).then(() => latencies.push(performance.now() - sent)));
  }
  await Promise.all(pending);
  return latencies.sort((a, b) => a - b);
}

const pct = (sorted, p) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
const ms = (value) => `${value.toFixed(1).padStart(6)} ms`;

async function bench(label, env) {
  const pmos = await startPmos(env);
  try {
    const { ws, call, hook } = await setUp(pmos.url);
    // Warm up: code sandbox, caches, JIT.
    for (let i = 0; i < 50; i++) await fetch(`${hook}/sync`, delivery(i)).then((r) => r.text());

    // Throughput: many async webhooks, then the worker drains them.
    let refused = 0;
    const firstAccepted = performance.now();
    const acceptMs = await closedLoop(runsToQueue, 64, async (i) => {
      const response = await fetch(hook, delivery(i));
      if (response.status !== 202) refused++;
      await response.arrayBuffer();
    });
    let left = Number.POSITIVE_INFINITY;
    while (left > 0) {
      const queued = await call('GET', `/api/workspaces/${ws}/runs?status=QUEUED&limit=1`);
      const running = await call('GET', `/api/workspaces/${ws}/runs?status=RUNNING&limit=1`);
      left = queued.data.length + running.data.length;
      if (left > 0) await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const drainMs = performance.now() - firstAccepted;
    const failed = await call('GET', `/api/workspaces/${ws}/runs?status=FAILED&limit=1`);

    // Latency at a fixed offered rate: the baseline, then sync webhooks.
    const baseline = await openLoop(() => fetch(`${pmos.url}/healthz`).then((r) => r.text()));
    let wrong = 0;
    const sync = await openLoop(async (i) => {
      const response = await fetch(`${hook}/sync`, delivery(i));
      const body = await response.json();
      if (response.status !== 200 || body.total !== i * 2) wrong++;
    });

    console.log(`\n${label}`);
    console.log(
      `  accepted webhooks/s   ${(runsToQueue / (acceptMs / 1000)).toFixed(0).padStart(6)}   (${runsToQueue} async deliveries, 64 in flight${refused ? `, ${refused} refused` : ''})`,
    );
    console.log(
      `  completed runs/s      ${(runsToQueue / (drainMs / 1000)).toFixed(0).padStart(6)}   (all ${runsToQueue} finished ${(drainMs / 1000).toFixed(2)} s after the first was sent${failed.data.length ? '; SOME FAILED' : ''})`,
    );
    console.log(
      `  sync webhook @${rate}/s    p50 ${ms(pct(sync, 50))}  p95 ${ms(pct(sync, 95))}  p99 ${ms(pct(sync, 99))}   (${sync.length} requests${wrong ? `, ${wrong} wrong answers` : ''})`,
    );
    console.log(
      `  baseline GET /healthz  p50 ${ms(pct(baseline, 50))}  p95 ${ms(pct(baseline, 95))}  p99 ${ms(pct(baseline, 99))}`,
    );
  } finally {
    await stop(pmos.child);
  }
}

console.log(
  `flows benchmark: ${availableParallelism()} cores (${cpus()[0]?.model ?? 'unknown CPU'}), Node ${process.version}`,
);
const scratch = mkdtempSync(join(tmpdir(), 'pmos-bench-flows-'));
try {
  if (targets.includes('postgres')) {
    const database = await createTestDatabase(undefined);
    try {
      await bench('PostgreSQL (DATABASE_URL, pool 10)', {
        DATABASE_URL: database.url,
        PMOS_MASTER_KEY: Buffer.alloc(32, 1).toString('base64'),
      });
    } finally {
      await database.drop();
    }
  }
  if (targets.includes('pglite')) {
    await bench('embedded PGlite (one connection)', { PMOS_DATA_DIR: join(scratch, 'embedded') });
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}

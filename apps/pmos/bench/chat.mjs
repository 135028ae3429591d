// pnpm bench chat: the server's own overhead in a chat turn, through the product itself —
// `pmos start` in its own process with the real PostgreSQL, the bundled AI providers plugin and
// its OpenAI-compatible adapter, talking to a zero-latency fake model (a local server that
// answers at once, streaming real SSE). Figures:
// - first trace event: from sending a message to the first event on the conversation's stream;
// - overhead per tool step: how much longer a turn with N tool steps takes than one with none,
//   per step, minus the fake model's own round trip (measured directly, in the same run).
// Targets (issue 7), on 2 cores: first event < 100 ms, overhead < 20 ms per tool step.
import { availableParallelism, cpus } from 'node:os';
import { createTestDatabase } from '@pmos/core/testing';
import { startFakeOpenAi } from '../../../plugins/ai-providers/dist/testing.js';
import { signUpFirstAccount, startPmos, stop } from './pmos-process.mjs';

const turns = Number(process.env.BENCH_TURNS ?? 20);
const toolSteps = Number(process.env.BENCH_TOOL_STEPS ?? 5);

const pct = (sorted, p) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
const sorted = (values) => [...values].sort((a, b) => a - b);
const ms = (value) => `${value.toFixed(1).padStart(6)} ms`;

/** The model calls list_flows until it has seen `steps` results, then answers. */
let stepsWanted = 0;
const fake = await startFakeOpenAi({
  apiKey: null,
  chunkDelayMs: 0,
  respond: ({ body }) => {
    const seen = (body.messages ?? []).filter((m) => m.role === 'tool').length;
    return seen < stepsWanted
      ? { toolCalls: [{ name: 'list_flows', args: {} }] }
      : { text: 'Done: here is what I found.' };
  },
});

async function setUp(url) {
  const { ws, cookie, call } = await signUpFirstAccount(url);
  for (const [limitName, value] of [
    ['api_requests_per_minute', 10_000_000],
    ['chat_messages_per_minute', 10_000_000],
    ['ai_tokens_per_day', 10_000_000],
  ]) {
    await call('PUT', '/api/admin/limits', { limitName, subject: '*', value });
  }
  await call('PUT', `/api/workspaces/${ws}/plugins/ai-providers`, { enabled: true });
  const connection = await call('POST', `/api/workspaces/${ws}/connections`, {
    pluginId: 'ai-providers',
    connectorId: 'openai-compatible',
    displayName: 'Zero-latency fake',
    value: { baseUrl: fake.baseUrl },
  });
  await call('PUT', `/api/workspaces/${ws}/chat/settings`, {
    connectionId: connection.id,
    modelId: fake.models[0],
  });
  await call('POST', `/api/workspaces/${ws}/flows`, { displayName: 'Weekly report' });
  return { ws, call, cookie };
}

/** One turn in a new conversation: ms to the first trace event and to `turn.finished`. */
async function turn(url, { ws, call, cookie }, steps) {
  stepsWanted = steps;
  const conversation = await call('POST', `/api/workspaces/${ws}/chat/conversations`, {});
  const controller = new AbortController();
  const stream = await fetch(
    `${url}/api/workspaces/${ws}/chat/conversations/${conversation.id}/events`,
    { headers: { cookie }, signal: controller.signal },
  );
  const reader = stream.body.getReader();
  const decoder = new TextDecoder();
  const sent = performance.now();
  await call('POST', `/api/workspaces/${ws}/chat/conversations/${conversation.id}/messages`, {
    text: 'What flows do I have?',
  });
  let text = '';
  let first = null;
  let finished = null;
  while (finished === null) {
    const { value, done } = await reader.read();
    if (done) throw new Error('the event stream ended early');
    text += decoder.decode(value, { stream: true });

    if (first === null && text.includes('event: trace')) first = performance.now() - sent;
    if (text.includes('"turn.failed"')) throw new Error(`a turn failed: ${text}`);
    if (text.includes('"turn.finished"')) finished = performance.now() - sent;
  }
  controller.abort();
  const tools = (text.match(/"type":"tool\.result"/g) ?? []).length;
  if (tools !== steps) throw new Error(`expected ${steps} tool results, saw ${tools}`);
  return { first, total: finished };
}

/** The fake model's own round trip (one streamed completion over loopback), as PMOS makes it. */
async function modelRoundTrip() {
  stepsWanted = 0;
  const started = performance.now();
  const response = await fetch(`${fake.baseUrl}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      model: fake.models[0],
      stream: true,
      messages: [{ role: 'user', content: 'hi' }],
    }),
  });
  await response.text();
  return performance.now() - started;
}

console.log(
  `chat benchmark: ${availableParallelism()} cores (${cpus()[0]?.model ?? 'unknown CPU'}), Node ${process.version}`,
);
const database = await createTestDatabase(undefined);
let pmos;
try {
  pmos = await startPmos({
    DATABASE_URL: database.url,
    PMOS_MASTER_KEY: Buffer.alloc(32, 1).toString('base64'),
    PMOS_HTTP_PRIVATE_HOSTS: fake.host,
  });
  const session = await setUp(pmos.url);
  for (let i = 0; i < 5; i++) await turn(pmos.url, session, 1); // warm-up
  const plain = [];
  const withTools = [];
  for (let i = 0; i < turns; i++) {
    plain.push(await turn(pmos.url, session, 0));
    withTools.push(await turn(pmos.url, session, toolSteps));
  }
  const model = [];
  for (let i = 0; i < turns * 2; i++) model.push(await modelRoundTrip());
  const firsts = sorted([...plain, ...withTools].map((t) => t.first));
  const plainTotal = pct(sorted(plain.map((t) => t.total)), 50);
  const toolsTotal = pct(sorted(withTools.map((t) => t.total)), 50);
  const modelCall = pct(sorted(model), 50);
  const perStep = (toolsTotal - plainTotal) / toolSteps - modelCall;

  console.log('\nPostgreSQL, pmos start, zero-latency OpenAI-compatible fake model');
  console.log(
    `  first trace event      p50 ${ms(pct(firsts, 50))}  p95 ${ms(pct(firsts, 95))}  max ${ms(firsts.at(-1))}   (${firsts.length} turns; target < 100 ms)`,
  );
  console.log(
    `  turn, no tool          p50 ${ms(plainTotal)}   turn, ${toolSteps} tool steps  p50 ${ms(toolsTotal)}`,
  );
  console.log(`  baseline: fake model round trip  p50 ${ms(modelCall)}`);
  console.log(
    `  overhead per tool step     ${ms(perStep)}   ((with tools − without) / ${toolSteps} − one model round trip; target < 20 ms)`,
  );
} finally {
  if (pmos) await stop(pmos.child);
  await database.drop();
  await fake.close();
}

import { withTestDatabase } from '@pmos/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestResponse } from '../testing/http-client.js';
import { signUpAs, startTestApp, strongPassword, type TestApp } from '../testing/test-app.js';

// Two PMOS servers on one database: the request budget is shared between them.
const database = withTestDatabase();
let one: TestApp;
let two: TestApp;
beforeAll(async () => {
  one = await startTestApp(database.url);
  two = await startTestApp(database.url);
});
afterAll(async () => {
  await one.close();
  await two.close();
});

describe('API rate limit', () => {
  it('holds across two server processes, answering 429 with the numbers and Retry-After', async () => {
    // Budgets are per clock minute: start with enough of it left that the counts below hold.
    const left = 60_000 - (Date.now() % 60_000);
    if (left < 15_000) await new Promise((resolve) => setTimeout(resolve, left + 100));
    const root = one.client();
    await signUpAs(root, 'root@example.com');
    const admin = one.client();
    const workspaceId = (await signUpAs(admin, 'admin@example.com')).workspaces[0]?.id ?? '';
    const set = await root.request('PUT', '/api/admin/limits', {
      limitName: 'api_requests_per_minute',
      subject: `workspace:${workspaceId}`,
      value: 10,
    });
    expect(set.status).toBe(200);
    expect(set.body.overrides).toEqual([
      expect.objectContaining({ subject: `workspace:${workspaceId}`, value: 10 }),
    ]);

    for (let i = 0; i < 6; i++) {
      const response = await admin.get(`/api/workspaces/${workspaceId}/members`);
      expect(response.status).toBe(200);
      expect(response.headers.get('ratelimit-remaining')).toBe(String(9 - i));
    }
    const usage = await admin.get(`/api/workspaces/${workspaceId}/usage`); // the 7th request
    expect(usage.body.limits).toEqual([
      { name: 'api_requests_per_minute', limit: 10, used: 7, resetsAt: expect.any(String) },
      { name: 'flow_runs_per_day', limit: 1000, used: 0, resetsAt: expect.any(String) },
      { name: 'ai_tokens_per_day', limit: 1000000, used: 0, resetsAt: expect.any(String) },
      { name: 'chat_messages_per_minute', limit: 20, used: 0, resetsAt: expect.any(String) },
      { name: 'run_data_megabytes', limit: 1024, used: 0, resetsAt: null },
    ]);
    await one.rateLimiter.flush();

    // The same person, signed in on the other server.
    const elsewhere = two.client();
    await elsewhere.post('/api/auth/sign-in', {
      email: 'admin@example.com',
      password: strongPassword,
    });
    await two.rateLimiter.reloadOverrides();
    const statuses: number[] = [];
    let refused: TestResponse | undefined;
    for (let i = 0; i < 6; i++) {
      const response = await elsewhere.get(`/api/workspaces/${workspaceId}/members`);
      statuses.push(response.status);
      if (response.status === 429) refused ??= response;
    }
    expect(statuses).toEqual([200, 200, 200, 429, 429, 429]);
    expect(refused?.body.error).toMatchObject({
      code: 'rate_limited',
      details: { limit: 10, used: 10, resetsAt: expect.any(String) },
    });
    expect(Number(refused?.headers.get('retry-after'))).toBeGreaterThan(0);

    // Other workspaces and people are not affected.
    expect((await root.get('/api/me')).status).toBe(200);
    await two.rateLimiter.flush();
    await one.rateLimiter.flush();
    const shared = await one.rateLimiter.usage(
      'api_requests_per_minute',
      `workspace:${workspaceId}`,
    );
    expect(shared).toMatchObject({ limit: 10, used: 10 });
  });
});

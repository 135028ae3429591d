import { withTestDatabase } from '@pmos/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUpAs, startTestApp, strongPassword, type TestApp } from '../testing/test-app.js';

const database = withTestDatabase();
let pmos: TestApp;
let guarded: TestApp;
beforeAll(async () => {
  pmos = await startTestApp(database.url);
  guarded = await startTestApp(database.url, { metricsToken: 'a-long-metrics-token-1234' });
});
afterAll(async () => {
  await pmos.close();
  await guarded.close();
});

describe('/metrics', () => {
  it('counts requests per route pattern, latency and rate-limit rejections', async () => {
    const client = pmos.client();
    const me = await signUpAs(client, 'metrics@example.com');
    await client.get(`/api/workspaces/${me.workspaces[0]?.id}/members`);
    await pmos.rateLimiter.hit('api_requests_per_minute', 'x'); // warm
    pmos.rateLimiter.rejections.set('api_requests_per_minute', 3);
    const response = await pmos.client().get('/metrics');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/plain');
    expect(response.text).toMatch(
      /pmos_http_requests_total\{method="GET",route="\/api\/workspaces\/:workspaceId\/members",status="200"\} 1/,
    );
    expect(response.text).toContain('pmos_http_request_duration_seconds_bucket');
    expect(response.text).toContain(
      'pmos_rate_limit_rejections_total{limit="api_requests_per_minute"} 3',
    );
    expect(response.text).toContain('pmos_process_cpu_seconds_total');
    expect(response.text).not.toContain(me.workspaces[0]?.id); // ids never become labels
  });

  it('counts refusals of the daily quotas', async () => {
    const root = pmos.client();
    await root.post('/api/auth/sign-in', {
      email: 'metrics@example.com',
      password: strongPassword,
    });
    const admin = pmos.client();
    const ws = (await signUpAs(admin, 'quota-metrics@example.com')).workspaces[0]?.id ?? '';
    await root.put('/api/admin/limits', {
      limitName: 'ai_tokens_per_day',
      subject: `workspace:${ws}`,
      value: 0,
    });
    const conversation = await admin.post(`/api/workspaces/${ws}/chat/conversations`, {});
    const refused = await admin.post(
      `/api/workspaces/${ws}/chat/conversations/${conversation.body.id}/messages`,
      { text: 'hello' },
    );
    expect(refused.status).toBe(429);
    expect(refused.body.error.code).toBe('quota_exceeded');
    const metrics = await pmos.client().get('/metrics');
    expect(metrics.text).toContain('pmos_rate_limit_rejections_total{limit="ai_tokens_per_day"} 1');
  });

  it('wants the token when one is configured', async () => {
    expect((await guarded.client().get('/metrics')).status).toBe(403);
    const withToken = await guarded.client().request('GET', '/metrics', undefined, {
      authorization: 'Bearer a-long-metrics-token-1234',
    });
    expect(withToken.status).toBe(200);
  });
});

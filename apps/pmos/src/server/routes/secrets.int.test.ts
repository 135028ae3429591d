import { randomUUID } from 'node:crypto';
import { withTestDatabase } from '@pmos/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestClient } from '../../testing/http-client.js';
import { query, signUpAs, startTestApp, type TestApp } from '../../testing/test-app.js';

// The planted-secret scan: secret values carry a unique marker; after exercising every
// secret route (and its errors), the marker must appear in no response, log line, audit
// record or audit export.
const database = withTestDatabase();
const marker = `PLANTED-${randomUUID()}`;
let pmos: TestApp;
let admin: TestClient;
let workspaceId: string;
const seen: string[] = []; // every response body of this file

beforeAll(async () => {
  pmos = await startTestApp(database.url);
  await signUpAs(pmos.client(), 'root@example.com');
  admin = pmos.client();
  workspaceId = (await signUpAs(admin, 'admin@example.com')).workspaces[0]?.id ?? '';
});
afterAll(() => pmos.close());

async function call(method: string, path: string, body?: unknown, client = admin) {
  const response = await client.request(method, path, body);
  seen.push(response.text);
  return response;
}

describe('workspace secrets', () => {
  it('stores values and only ever answers masks', async () => {
    const created = await call('POST', `/api/workspaces/${workspaceId}/secrets`, {
      name: 'OpenAI key',
      value: `${marker}-abcd`,
      description: 'for the chat agent',
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      name: 'OpenAI key',
      mask: '••••abcd',
      description: 'for the chat agent',
    });
    expect(Object.keys(created.body).sort()).toEqual([
      'createdAt',
      'description',
      'id',
      'mask',
      'name',
      'updatedAt',
    ]);

    const listed = await call('GET', `/api/workspaces/${workspaceId}/secrets`);
    expect(listed.body.data).toHaveLength(1);

    const updated = await call(
      'PATCH',
      `/api/workspaces/${workspaceId}/secrets/${created.body.id}`,
      { value: `${marker}-wxyz` },
    );
    expect(updated.body.mask).toBe('••••wxyz');

    const duplicate = await call('POST', `/api/workspaces/${workspaceId}/secrets`, {
      name: 'OpenAI key',
      value: `${marker}-dup`,
    });
    expect([duplicate.status, duplicate.body.error.code]).toEqual([409, 'secret_name_taken']);
    const badName = await call('POST', `/api/workspaces/${workspaceId}/secrets`, {
      name: '../etc',
      value: `${marker}-bad`,
    });
    expect([badName.status, badName.body.error.code]).toEqual([400, 'invalid_request']);
    const tooBig = await call('POST', `/api/workspaces/${workspaceId}/secrets`, {
      name: 'big',
      value: `${marker}${'x'.repeat(70_000)}`,
    });
    expect(tooBig.status).toBe(400);
    const missing = await call('PATCH', `/api/workspaces/${workspaceId}/secrets/${randomUUID()}`, {
      value: `${marker}-404`,
    });
    expect([missing.status, missing.body.error.code]).toEqual([404, 'secret_not_found']);

    expect(
      (await call('DELETE', `/api/workspaces/${workspaceId}/secrets/${created.body.id}`)).status,
    ).toBe(204);
    const gone = await call('DELETE', `/api/workspaces/${workspaceId}/secrets/${created.body.id}`);
    expect(gone.status).toBe(404);
  });

  it('lets members see masks but not change secrets; other workspaces see nothing', async () => {
    const member = pmos.client();
    await signUpAs(member, 'member@example.com');
    const { url } = (
      await call('POST', `/api/workspaces/${workspaceId}/invites`, {
        email: 'member@example.com',
        role: 'member',
      })
    ).body;
    await call('POST', `/api/invites/${url.split('/invite/')[1]}/accept`, undefined, member);
    await call('POST', `/api/workspaces/${workspaceId}/secrets`, {
      name: 'webhook',
      value: `${marker}-hook`,
    });
    expect(
      (await call('GET', `/api/workspaces/${workspaceId}/secrets`, undefined, member)).body.data,
    ).toHaveLength(1);
    const write = await call(
      'POST',
      `/api/workspaces/${workspaceId}/secrets`,
      { name: 'x', value: `${marker}-m` },
      member,
    );
    expect([write.status, write.body.error.code]).toEqual([403, 'forbidden']);
    const stranger = pmos.client();
    await signUpAs(stranger, 'stranger@example.com');
    const peek = await call('GET', `/api/workspaces/${workspaceId}/secrets`, undefined, stranger);
    expect([peek.status, peek.body.error.code]).toEqual([404, 'workspace_not_found']);
  });

  it('the planted marker appears nowhere: responses, logs, audit, export', async () => {
    seen.push((await call('GET', `/api/workspaces/${workspaceId}/audit?limit=200`)).text);
    seen.push((await call('GET', `/api/workspaces/${workspaceId}/audit/export`)).text);
    const audit = await query(pmos.orm, 'select metadata::text as m from audit_event');
    const everything = [...seen, ...pmos.logs, ...audit.map((row) => row.m)];
    expect(seen.length).toBeGreaterThanOrEqual(14);
    expect(pmos.logs.length).toBeGreaterThan(20);
    expect(everything.filter((text) => text.includes(marker))).toEqual([]);
    const actions = (
      await call('GET', `/api/workspaces/${workspaceId}/audit?action=secret&limit=200`)
    ).body.data.map((e: { action: string }) => e.action);
    expect(actions).toEqual(['secret.create', 'secret.delete', 'secret.update', 'secret.create']);
  });
});

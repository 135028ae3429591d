import { createHmac } from 'node:crypto';
import { InvalidPropsError } from '@pmos/sdk/server';
import { runTrigger } from '@pmos/sdk/testing';
import { describe, expect, it } from 'vitest';
import pkg from '../package.json' with { type: 'json' };
import { issueEvent } from './trigger.js';

const hosts = pkg.pmos.permissions.hosts;
const SECRET = 'whsec-7c1f0e9b2a';

/** A delivery as GitHub sends it: JSON body, signed with HMAC-SHA256 of the raw bytes. */
function delivery(event: string, payload: unknown, secret = SECRET) {
  const body = JSON.stringify(payload, null, 2);
  return {
    headers: {
      'Content-Type': 'application/json',
      'User-Agent': 'GitHub-Hookshot/a1b2c3d',
      'X-GitHub-Delivery': '72d3162e-cc78-11e3-81ab-4c9367dc0958',
      'X-GitHub-Event': event,
      'X-GitHub-Hook-ID': '292430182',
      'X-Hub-Signature-256': `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`,
    },
    body,
  };
}

const octocat = {
  login: 'octocat',
  id: 1,
  node_id: 'MDQ6VXNlcjE=',
  avatar_url: 'https://github.com/images/error/octocat_happy.gif',
  html_url: 'https://github.com/octocat',
  type: 'User',
  site_admin: false,
};
const hubot = { ...octocat, login: 'hubot', id: 2, html_url: 'https://github.com/hubot' };
const bug = {
  id: 208045946,
  node_id: 'MDU6TGFiZWwyMDgwNDU5NDY=',
  url: 'https://api.github.com/repos/octocat/Hello-World/labels/bug',
  name: 'bug',
  description: "Something isn't working",
  color: 'f29513',
  default: true,
};

function issuesPayload(action: string, extra: Record<string, unknown> = {}) {
  return {
    action,
    issue: {
      url: 'https://api.github.com/repos/octocat/Hello-World/issues/1347',
      repository_url: 'https://api.github.com/repos/octocat/Hello-World',
      html_url: 'https://github.com/octocat/Hello-World/issues/1347',
      id: 1,
      node_id: 'MDU6SXNzdWUx',
      number: 1347,
      title: 'Found a bug',
      user: octocat,
      labels: [bug],
      state: action === 'closed' ? 'closed' : 'open',
      locked: false,
      assignee: hubot,
      assignees: [hubot],
      milestone: null,
      comments: 3,
      created_at: '2026-01-05T09:00:00Z',
      updated_at: '2026-01-05T09:30:00Z',
      closed_at: action === 'closed' ? '2026-01-05T09:30:00Z' : null,
      author_association: 'OWNER',
      body: "I'm having a problem with this.",
      state_reason: action === 'closed' ? 'completed' : null,
    },
    repository: {
      id: 1296269,
      node_id: 'MDEwOlJlcG9zaXRvcnkxMjk2MjY5',
      name: 'Hello-World',
      full_name: 'octocat/Hello-World',
      private: false,
      owner: octocat,
      html_url: 'https://github.com/octocat/Hello-World',
    },
    sender: octocat,
    ...extra,
  };
}

const props = { events: ['opened', 'closed', 'labeled'], secret: SECRET };

describe('issue_event webhook trigger', () => {
  it('turns a signed delivery into one event', async () => {
    const { events, calls } = await runTrigger(issueEvent, {
      hosts,
      props,
      payload: delivery('issues', issuesPayload('opened')),
    });
    expect(events).toEqual([
      {
        action: 'opened',
        issue: {
          number: 1347,
          title: 'Found a bug',
          body: "I'm having a problem with this.",
          state: 'open',
          state_reason: null,
          html_url: 'https://github.com/octocat/Hello-World/issues/1347',
          labels: ['bug'],
          assignees: ['hubot'],
          author: 'octocat',
          comments: 3,
          created_at: '2026-01-05T09:00:00Z',
          closed_at: null,
        },
        repository: 'octocat/Hello-World',
        sender: 'octocat',
        label: null,
        assignee: null,
      },
    ]);
    expect(calls).toEqual([]);
  });

  it('passes on which label was added, with lower-case header names too', async () => {
    const signed = delivery('issues', issuesPayload('labeled', { label: bug }));
    const lower = Object.fromEntries(
      Object.entries(signed.headers).map(([k, v]) => [k.toLowerCase(), v]),
    );
    const { events } = await runTrigger(issueEvent, {
      hosts,
      props,
      payload: { headers: lower, body: signed.body },
    });
    expect(events).toMatchObject([{ action: 'labeled', label: 'bug', issue: { number: 1347 } }]);
  });

  it('refuses a delivery signed with another secret', async () => {
    const run = runTrigger(issueEvent, {
      hosts,
      props,
      payload: delivery('issues', issuesPayload('opened'), 'not-the-secret'),
    });
    await expect(run).rejects.toMatchObject({ code: 'invalid_signature' });
    await expect(run).rejects.toThrow(/same secret/);
  });

  it('refuses a delivery whose body was changed after signing', async () => {
    const signed = delivery('issues', issuesPayload('opened'));
    const run = runTrigger(issueEvent, {
      hosts,
      props,
      payload: { ...signed, body: signed.body.replace('Found a bug', 'Found two bugs') },
    });
    await expect(run).rejects.toMatchObject({ code: 'invalid_signature' });
  });

  it('refuses an unsigned delivery and a malformed signature', async () => {
    const signed = delivery('issues', issuesPayload('opened'));
    const { 'X-Hub-Signature-256': _, ...unsigned } = signed.headers;
    await expect(
      runTrigger(issueEvent, { props, payload: { headers: unsigned, body: signed.body } }),
    ).rejects.toMatchObject({ code: 'invalid_signature' });
    await expect(
      runTrigger(issueEvent, {
        props,
        payload: {
          headers: { ...signed.headers, 'X-Hub-Signature-256': 'sha256=abc' },
          body: signed.body,
        },
      }),
    ).rejects.toMatchObject({ code: 'invalid_signature' });
  });

  it('answers nothing to a ping', async () => {
    const ping = delivery('ping', {
      zen: 'Keep it logically awesome.',
      hook_id: 292430182,
      hook: { type: 'Repository', id: 292430182, events: ['issues'], active: true },
      repository: { full_name: 'octocat/Hello-World' },
      sender: octocat,
    });
    const { events } = await runTrigger(issueEvent, { hosts, props, payload: ping });
    expect(events).toEqual([]);
  });

  it('answers nothing to actions that were not selected and to other events', async () => {
    const reopened = await runTrigger(issueEvent, {
      props,
      payload: delivery('issues', issuesPayload('reopened')),
    });
    expect(reopened.events).toEqual([]);
    const edited = await runTrigger(issueEvent, {
      props,
      payload: delivery('issues', issuesPayload('edited')),
    });
    expect(edited.events).toEqual([]);
    const comment = await runTrigger(issueEvent, {
      props,
      payload: delivery('issue_comment', issuesPayload('created', { comment: { id: 1 } })),
    });
    expect(comment.events).toEqual([]);

    const closed = await runTrigger(issueEvent, {
      props,
      payload: delivery('issues', issuesPayload('closed')),
    });
    expect(closed.events).toMatchObject([
      { action: 'closed', issue: { state: 'closed', state_reason: 'completed' } },
    ]);
  });

  it('needs the events and the secret, and a webhook delivery as payload', async () => {
    await expect(
      runTrigger(issueEvent, {
        props: { events: ['opened'] },
        payload: delivery('issues', issuesPayload('opened')),
      }),
    ).rejects.toBeInstanceOf(InvalidPropsError);
    await expect(
      runTrigger(issueEvent, {
        props: { events: ['commented'], secret: SECRET },
        payload: delivery('issues', issuesPayload('opened')),
      }),
    ).rejects.toThrow(/events/);
    await expect(
      runTrigger(issueEvent, { props, payload: { action: 'opened' } }),
    ).rejects.toMatchObject({ code: 'invalid_payload' });
  });
});

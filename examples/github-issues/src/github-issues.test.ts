import { isSdkCompatible, parsePluginManifest } from '@pmos/sdk/manifest';
import { HostNotAllowedError, InvalidPropsError } from '@pmos/sdk/server';
import {
  createTestContext,
  fakeHttp,
  jsonResponse,
  loadOptions,
  runAction,
  runHealthCheck,
} from '@pmos/sdk/testing';
import { describe, expect, it } from 'vitest';
import pkg from '../package.json' with { type: 'json' };
import { addComment, closeIssue, createIssue, listIssues } from './actions.js';
import { GitHubError } from './github-client.js';
import plugin, { github } from './server.js';
import { API, createFakeGitHub, type FakeUser } from './testing/fake-github.js';

/** The hosts the plugin declares: every test runs under the rule PMOS applies. */
const hosts = pkg.pmos.permissions.hosts;

const TOKEN = 'github_pat_11ADA0000_goodtoken';
const ada: FakeUser = { login: 'ada', id: 583231, name: 'Ada Lovelace' };
const bot: FakeUser = { login: 'release-bot', id: 700001, name: null };

function fakeGitHub() {
  const gh = createFakeGitHub({ tokens: { [TOKEN]: ada, ghp_bottoken: bot }, hosts });
  gh.addRepo('ada/analytical-engine', {
    updatedAt: '2026-01-02T08:00:00Z',
    members: ['ada', 'charles'],
    labels: [
      { name: 'bug', color: 'd73a4a', description: "Something isn't working" },
      { name: 'enhancement', color: 'a2eeef', description: 'New feature or request' },
    ],
  });
  gh.addRepo('ada/notes', { updatedAt: '2025-10-10T10:00:00Z', private: true });
  gh.addRepo('babbage-org/difference-engine', {
    updatedAt: '2026-01-04T16:30:00Z',
    members: ['ada'],
    labels: [{ name: 'question' }],
  });
  gh.addRepo('someone-else/private-stuff', { updatedAt: '2026-01-05T00:00:00Z' });
  return gh;
}

const expectedHeaders = {
  authorization: `Bearer ${TOKEN}`,
  accept: 'application/vnd.github+json',
  'x-github-api-version': '2022-11-28',
  'user-agent': 'pmos-github-issues',
};

describe('the plugin definition', () => {
  it('matches its package.json manifest', () => {
    const manifest = parsePluginManifest(pkg);
    expect(manifest.id).toBe('github-issues');
    expect(plugin.id).toBe(manifest.id);
    expect(plugin.version).toBe(pkg.version);
    expect(plugin.sdk).toBe(manifest.sdk);
    expect(plugin.displayName).toBe(manifest.displayName);
    expect(plugin.permissions).toEqual(manifest.permissions);
    expect(plugin.contributes.panels).toEqual(manifest.ui?.panels);
    expect(manifest.server?.entry).toBe('./dist/server.js');
    expect(isSdkCompatible(manifest.sdk)).toBe(true);
    expect(plugin.contributes.connectors?.map((c) => c.id)).toEqual(['github']);
    expect(github.actions.map((a) => [a.id, a.risk])).toEqual([
      ['list_issues', 'read'],
      ['create_issue', 'write'],
      ['close_issue', 'write'],
      ['add_comment', 'write'],
    ]);
    expect(github.triggers?.map((t) => [t.id, t.strategy])).toEqual([['issue_event', 'webhook']]);
    expect(github.auth).toMatchObject({
      kind: 'secret_text',
      displayName: 'Personal access token',
    });
  });
});

describe('health check', () => {
  it('names the account a good token belongs to', async () => {
    const gh = fakeGitHub();
    const { report, calls } = await runHealthCheck(github, { auth: TOKEN, http: gh.http });
    expect(report).toEqual({ ok: true, message: 'Connected as ada (Ada Lovelace)' });
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({
      method: 'GET',
      url: `${API}/user`,
      headers: expectedHeaders,
      body: undefined,
    });
  });

  it('leaves out the name when the account has none', async () => {
    const { report } = await runHealthCheck(github, {
      auth: 'ghp_bottoken',
      http: fakeGitHub().http,
    });
    expect(report).toEqual({ ok: true, message: 'Connected as release-bot' });
  });

  it('says plainly that a bad token was refused, without repeating it', async () => {
    const { report } = await runHealthCheck(github, {
      auth: 'ghp_revoked_123',
      http: fakeGitHub().http,
    });
    expect(report).toEqual({
      ok: false,
      message: 'GitHub refused the token: it is wrong, expired or revoked.',
    });
  });

  it('tells when the rate limit resets', async () => {
    const gh = fakeGitHub();
    gh.exhaustRateLimit(Date.UTC(2026, 0, 5, 12, 30) / 1000);
    const { report } = await runHealthCheck(github, { auth: TOKEN, http: gh.http });
    expect(report).toEqual({
      ok: false,
      message:
        "GitHub's rate limit for this token is used up: it resets at 12:30 UTC (2026-01-05T12:30:00.000Z).",
    });
  });

  it('reports a network failure as GitHub being unreachable', async () => {
    const http = fakeHttp(
      () => {
        throw new TypeError('fetch failed', { cause: new Error('getaddrinfo ENOTFOUND') });
      },
      { hosts },
    );
    const { report } = await runHealthCheck(github, { auth: TOKEN, http });
    expect(report.ok).toBe(false);
    expect(report.message).toMatch(/^GitHub could not be reached/);
  });
});

describe('dropdowns', () => {
  it('lists the repositories the token can reach, most recently updated first', async () => {
    const gh = fakeGitHub();
    const all = await loadOptions(createIssue, 'repository', { auth: TOKEN, http: gh.http });
    expect(all).toMatchObject({
      kind: 'options',
      state: {
        options: [
          { label: 'babbage-org/difference-engine', value: 'babbage-org/difference-engine' },
          { label: 'ada/analytical-engine', value: 'ada/analytical-engine' },
          { label: 'ada/notes', value: 'ada/notes' },
        ],
      },
    });
    expect(gh.http.calls[0]?.url).toBe(`${API}/user/repos?per_page=100&sort=updated`);
    expect(gh.http.calls[0]?.headers).toMatchObject(expectedHeaders);

    const searched = await loadOptions(createIssue, 'repository', {
      auth: TOKEN,
      http: gh.http,
      searchValue: 'ANALYTICAL',
    });
    expect(searched).toMatchObject({
      state: { options: [{ label: 'ada/analytical-engine', value: 'ada/analytical-engine' }] },
    });
    expect(searched.kind === 'options' && searched.state.options).toHaveLength(1);
  });

  it('asks for a connection before listing repositories', async () => {
    const gh = fakeGitHub();
    const result = await loadOptions(createIssue, 'repository', { http: gh.http });
    expect(result).toMatchObject({
      kind: 'options',
      state: { disabled: true, placeholder: 'Choose a GitHub connection first', options: [] },
    });
    expect(gh.http.calls).toEqual([]);
  });

  it('shows a refused token in the dropdown instead of failing', async () => {
    const result = await loadOptions(createIssue, 'repository', {
      auth: 'ghp_wrong',
      http: fakeGitHub().http,
    });
    expect(result).toMatchObject({
      state: {
        disabled: true,
        placeholder: 'GitHub refused the token: it is wrong, expired or revoked.',
        options: [],
      },
    });
  });

  it('keeps labels disabled until a repository is chosen, then lists its labels', async () => {
    const gh = fakeGitHub();
    const before = await loadOptions(createIssue, 'labels', { auth: TOKEN, http: gh.http });
    expect(before).toMatchObject({
      kind: 'options',
      state: { disabled: true, placeholder: 'Choose a repository first', options: [] },
    });
    expect(gh.http.calls).toEqual([]);

    const after = await loadOptions(createIssue, 'labels', {
      auth: TOKEN,
      http: gh.http,
      props: { repository: 'ada/analytical-engine' },
    });
    expect(after).toEqual({
      kind: 'options',
      state: {
        options: [
          { label: 'bug', value: 'bug' },
          { label: 'enhancement', value: 'enhancement' },
        ],
      },
      calls: gh.http.calls,
    });
    expect(gh.http.calls.map((c) => c.url)).toEqual([
      `${API}/repos/ada/analytical-engine/labels?per_page=100`,
    ]);

    const other = await loadOptions(listIssues, 'labels', {
      auth: TOKEN,
      http: gh.http,
      props: { repository: 'babbage-org/difference-engine' },
    });
    expect(other).toMatchObject({ state: { options: [{ label: 'question', value: 'question' }] } });
  });

  it('lists the assignees of the chosen repository', async () => {
    const gh = fakeGitHub();
    const result = await loadOptions(createIssue, 'assignees', {
      auth: TOKEN,
      http: gh.http,
      props: { repository: 'ada/analytical-engine' },
    });
    expect(result).toMatchObject({
      state: {
        options: [
          { label: 'ada', value: 'ada' },
          { label: 'charles', value: 'charles' },
        ],
      },
    });
    expect(createIssue.props.assignees.refreshers).toEqual(['repository']);
    expect(createIssue.props.labels.refreshers).toEqual(['repository']);
  });

  it('explains a repository the token cannot see', async () => {
    const result = await loadOptions(createIssue, 'labels', {
      auth: TOKEN,
      http: fakeGitHub().http,
      props: { repository: 'someone-else/private-stuff' },
    });
    expect(result).toMatchObject({
      state: {
        disabled: true,
        placeholder:
          "GitHub could not find the repository someone-else/private-stuff, or the token cannot see it: check the name and the token's repository access.",
      },
    });
  });
});

describe('create_issue', () => {
  it('posts the issue to GitHub and returns it', async () => {
    const gh = fakeGitHub();
    const { output, calls, logs } = await runAction(createIssue, {
      auth: TOKEN,
      http: gh.http,
      props: {
        repository: 'ada/analytical-engine',
        title: 'Bernoulli numbers overflow the mill',
        body: 'Note G, step 23 carries past 50 digits.',
        labels: ['bug'],
        assignees: ['charles'],
      },
    });
    expect(calls).toHaveLength(1);
    expect(calls[0]).toEqual({
      method: 'POST',
      url: `${API}/repos/ada/analytical-engine/issues`,
      headers: { ...expectedHeaders, 'content-type': 'application/json' },
      body: {
        title: 'Bernoulli numbers overflow the mill',
        body: 'Note G, step 23 carries past 50 digits.',
        labels: ['bug'],
        assignees: ['charles'],
      },
    });
    expect(output).toEqual({
      number: 1,
      title: 'Bernoulli numbers overflow the mill',
      body: 'Note G, step 23 carries past 50 digits.',
      state: 'open',
      state_reason: null,
      html_url: 'https://github.com/ada/analytical-engine/issues/1',
      labels: ['bug'],
      assignees: ['charles'],
      author: 'ada',
      comments: 0,
      created_at: '2026-01-05T09:00:00Z',
      closed_at: null,
    });
    expect(gh.issues('ada/analytical-engine').map((i) => i.title)).toEqual([
      'Bernoulli numbers overflow the mill',
    ]);
    expect(logs).toEqual([
      {
        level: 'info',
        message: 'Created a GitHub issue',
        data: { repository: 'ada/analytical-engine', number: 1 },
      },
    ]);
  });

  it('sends only the fields that were filled in', async () => {
    const gh = fakeGitHub();
    const { output, calls } = await runAction(createIssue, {
      auth: TOKEN,
      http: gh.http,
      props: { repository: 'ada/notes', title: '  Tidy up  ', labels: [] },
    });
    expect(calls[0]?.body).toEqual({ title: 'Tidy up' });
    expect(output).toMatchObject({ number: 1, labels: [], assignees: [], body: null });
  });

  it('refuses inputs that do not fit before any request', async () => {
    const gh = fakeGitHub();
    const missingTitle = runAction(createIssue, {
      auth: TOKEN,
      http: gh.http,
      props: { repository: 'ada/analytical-engine' },
    });
    await expect(missingTitle).rejects.toBeInstanceOf(InvalidPropsError);
    await expect(missingTitle).rejects.toMatchObject({
      code: 'invalid_props',
      problems: [{ prop: 'title' }],
    });

    const wrongTypes = runAction(createIssue, {
      auth: TOKEN,
      http: gh.http,
      props: { repository: 'ada/analytical-engine', title: 42, labels: 'bug' },
    });
    await expect(wrongTypes).rejects.toBeInstanceOf(InvalidPropsError);
    await expect(wrongTypes).rejects.toThrow(/title.*labels|labels.*title/s);

    const badState = runAction(listIssues, {
      auth: TOKEN,
      http: gh.http,
      props: { repository: 'ada/analytical-engine', state: 'pending' },
    });
    await expect(badState).rejects.toThrow(/state expected one of: Open, Closed, All/);

    const blankTitle = runAction(createIssue, {
      auth: TOKEN,
      http: gh.http,
      props: { repository: 'ada/analytical-engine', title: '   ' },
    });
    await expect(blankTitle).rejects.toMatchObject({
      code: 'validation_failed',
      message: 'Give the issue a title.',
    });

    const notARepo = runAction(createIssue, {
      auth: TOKEN,
      http: gh.http,
      props: { repository: '../../user', title: 'x' },
    });
    await expect(notARepo).rejects.toMatchObject({ code: 'validation_failed' });
    expect(gh.http.calls).toEqual([]);
  });

  it("turns GitHub's 422 into a validation_failed GitHubError with a plain message", async () => {
    const gh = fakeGitHub();
    const run = runAction(createIssue, {
      auth: TOKEN,
      http: gh.http,
      props: { repository: 'ada/analytical-engine', title: 'Ask ghost', assignees: ['ghost'] },
    });
    await expect(run).rejects.toBeInstanceOf(GitHubError);
    await expect(run).rejects.toMatchObject({
      code: 'validation_failed',
      status: 422,
      message:
        'GitHub did not accept the request: assignees has a value GitHub does not accept ("ghost").',
      details: { documentationUrl: 'https://docs.github.com/rest/issues/issues#create-an-issue' },
    });
    expect(gh.issues('ada/analytical-engine')).toEqual([]);
  });

  it('maps a missing title (422 missing_field) to a plain message', async () => {
    // A client that skips the harness checks, talking to GitHub directly with no title.
    const gh = fakeGitHub();
    const response = await gh.http.fetch(`${API}/repos/ada/notes/issues`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}` },
      body: JSON.stringify({ body: 'no title' }),
    });
    expect(response.status).toBe(422);
    expect(await response.json()).toEqual({
      message: 'Validation Failed',
      errors: [{ resource: 'Issue', code: 'missing_field', field: 'title' }],
      documentation_url: 'https://docs.github.com/rest/issues/issues#create-an-issue',
      status: '422',
    });
    // The same body through the plugin's client mapping:
    const run = runAction(createIssue, {
      auth: TOKEN,
      props: { repository: 'ada/notes', title: 'x' },
      hosts,
      http: {
        [`POST ${API}/repos/ada/notes/issues`]: () =>
          jsonResponse(
            {
              message: 'Validation Failed',
              errors: [{ resource: 'Issue', code: 'missing_field', field: 'title' }],
              documentation_url: 'https://docs.github.com/rest/issues/issues#create-an-issue',
              status: '422',
            },
            422,
          ),
      },
    });
    await expect(run).rejects.toMatchObject({
      code: 'validation_failed',
      message: 'GitHub did not accept the request: title is missing.',
    });
  });

  it('says not found for a repository the token cannot see, and rate limited with the reset', async () => {
    const gh = fakeGitHub();
    const hidden = runAction(createIssue, {
      auth: TOKEN,
      http: gh.http,
      props: { repository: 'someone-else/private-stuff', title: 'Hello' },
    });
    await expect(hidden).rejects.toMatchObject({ code: 'not_found', status: 404 });
    await expect(hidden).rejects.toThrow(/someone-else\/private-stuff/);

    gh.exhaustRateLimit(Date.UTC(2026, 0, 5, 10, 0) / 1000);
    const limited = runAction(createIssue, {
      auth: TOKEN,
      http: gh.http,
      props: { repository: 'ada/notes', title: 'Hello' },
    });
    await expect(limited).rejects.toMatchObject({
      code: 'rate_limited',
      status: 403,
      details: { resetAt: new Date('2026-01-05T10:00:00Z') },
    });
  });

  it('never puts the token in an error message', async () => {
    const run = runAction(createIssue, {
      auth: TOKEN,
      props: { repository: 'ada/notes', title: 'x' },
      hosts,
      http: {
        [`POST ${API}/repos/ada/notes/issues`]: ({ headers }) =>
          jsonResponse({ message: `Server Error for ${headers.authorization}` }, 500),
      },
    });
    await expect(run).rejects.toMatchObject({
      code: 'unexpected',
      status: 500,
      message:
        'GitHub answered with an error (HTTP 500). GitHub says: "Server Error for Bearer ***".',
    });
    await expect(run).rejects.not.toThrow(TOKEN);
  });
});

describe('list_issues', () => {
  it('lists issues without pull requests, filtered by state and labels', async () => {
    const gh = fakeGitHub();
    const repo = 'ada/analytical-engine';
    gh.addIssue(repo, { title: 'Card reader jams', labels: ['bug'], assignees: ['charles'] });
    gh.addIssue(repo, { title: 'Add a printer', labels: ['enhancement'] });
    gh.addIssue(repo, { title: 'Fix the card reader', labels: ['bug'], pullRequest: true });
    gh.addIssue(repo, { title: 'Old bug', labels: ['bug'], state: 'closed' });

    const open = await runAction(listIssues, {
      auth: TOKEN,
      http: gh.http,
      props: { repository: repo, state: 'open' },
    });
    expect(open.output.issues.map((i) => [i.number, i.title])).toEqual([
      [2, 'Add a printer'],
      [1, 'Card reader jams'],
    ]);
    expect(open.output.count).toBe(2);
    expect(open.output.issues[1]).toMatchObject({
      html_url: `https://github.com/${repo}/issues/1`,
      labels: ['bug'],
      assignees: ['charles'],
      author: 'ada',
      state: 'open',
    });
    expect(open.calls[0]?.url).toBe(`${API}/repos/${repo}/issues?state=open&per_page=100`);

    const bugs = await runAction(listIssues, {
      auth: TOKEN,
      http: gh.http,
      props: { repository: repo, state: 'all', labels: ['bug'] },
    });
    expect(bugs.output.issues.map((i) => [i.number, i.state])).toEqual([
      [4, 'closed'],
      [1, 'open'],
    ]);
    // One fake GitHub for both runs: its calls accumulate.
    expect(bugs.calls.map((c) => c.url)).toHaveLength(2);
    expect(bugs.calls[1]?.url).toBe(
      `${API}/repos/${repo}/issues?state=all&labels=bug&per_page=100`,
    );
  });
});

describe('close_issue and add_comment', () => {
  it('closes an issue as not planned', async () => {
    const gh = fakeGitHub();
    const number = gh.addIssue('ada/notes', { title: 'Translate Menabrea' });
    const { output, calls } = await runAction(closeIssue, {
      auth: TOKEN,
      http: gh.http,
      props: { repository: 'ada/notes', issue_number: String(number), state_reason: 'not_planned' },
    });
    expect(calls[0]).toMatchObject({
      method: 'PATCH',
      url: `${API}/repos/ada/notes/issues/1`,
      headers: expectedHeaders,
      body: { state: 'closed', state_reason: 'not_planned' },
    });
    expect(output).toMatchObject({
      number: 1,
      state: 'closed',
      state_reason: 'not_planned',
      closed_at: '2026-01-05T09:01:00Z',
    });
    expect(gh.issues('ada/notes')[0]?.state).toBe('closed');
  });

  it('closes as completed by default, and says so when the issue does not exist', async () => {
    const gh = fakeGitHub();
    gh.addIssue('ada/notes', { title: 'Done' });
    const { calls } = await runAction(closeIssue, {
      auth: TOKEN,
      http: gh.http,
      props: { repository: 'ada/notes', issue_number: 1 },
    });
    expect(calls[0]?.body).toEqual({ state: 'closed', state_reason: 'completed' });

    const missing = runAction(closeIssue, {
      auth: TOKEN,
      http: gh.http,
      props: { repository: 'ada/notes', issue_number: 99 },
    });
    await expect(missing).rejects.toMatchObject({ code: 'not_found', status: 404 });
    await expect(missing).rejects.toThrow(/issue #99 in ada\/notes/);

    const fraction = runAction(closeIssue, {
      auth: TOKEN,
      http: gh.http,
      props: { repository: 'ada/notes', issue_number: 1.5 },
    });
    await expect(fraction).rejects.toMatchObject({ code: 'validation_failed' });
    expect(gh.http.calls).toHaveLength(2);
  });

  it('adds a comment', async () => {
    const gh = fakeGitHub();
    gh.addIssue('ada/analytical-engine', { title: 'Card reader jams' });
    const { output, calls } = await runAction(addComment, {
      auth: TOKEN,
      http: gh.http,
      props: { repository: 'ada/analytical-engine', issue_number: 1, body: 'Oiled the reader.' },
    });
    expect(calls[0]).toMatchObject({
      method: 'POST',
      url: `${API}/repos/ada/analytical-engine/issues/1/comments`,
      headers: { ...expectedHeaders, 'content-type': 'application/json' },
      body: { body: 'Oiled the reader.' },
    });
    const id = gh.comments('ada/analytical-engine')[0]?.id;
    expect(output).toEqual({
      id,
      issue_number: 1,
      body: 'Oiled the reader.',
      html_url: `https://github.com/ada/analytical-engine/issues/1#issuecomment-${id}`,
      author: 'ada',
      created_at: '2026-01-05T09:01:00Z',
    });
    expect(gh.issues('ada/analytical-engine')[0]?.comments).toBe(1);
  });
});

describe('declared hosts', () => {
  it('declares exactly the host the plugin talks to', () => {
    expect(hosts).toEqual(['api.github.com']);
  });

  it('cannot reach GitHub without api.github.com in permissions.hosts', async () => {
    const gh = createFakeGitHub({ tokens: { [TOKEN]: ada }, hosts: ['github.com'] });
    gh.addRepo('ada/notes');
    const run = runAction(listIssues, {
      auth: TOKEN,
      http: gh.http,
      props: { repository: 'ada/notes', state: 'open' },
    });
    await expect(run).rejects.toBeInstanceOf(HostNotAllowedError);
    await expect(run).rejects.toMatchObject({ code: 'host_not_allowed', host: 'api.github.com' });
  });

  it('refuses any host outside permissions.hosts in the context the plugin gets', async () => {
    const { ctx, calls } = createTestContext(listIssues.props, {
      auth: TOKEN,
      hosts,
      props: { repository: 'ada/notes', state: 'open' },
      http: () => ({ ok: true }),
    });
    await expect(ctx.http('https://uploads.github.com/x')).rejects.toBeInstanceOf(
      HostNotAllowedError,
    );
    await expect(ctx.http('https://evil.example/steal')).rejects.toMatchObject({
      code: 'host_not_allowed',
      allowed: ['api.github.com'],
    });
    expect(calls).toEqual([]);
    const allowed = await ctx.http(`${API}/user`);
    expect(await allowed.json()).toEqual({ ok: true });
  });
});

/**
 * An in-memory GitHub REST API for the plugin's tests, built on `fakeHttp` from
 * `@pmos/sdk/testing`. It keeps users, repositories, labels, assignees, issues (and pull
 * requests, which GitHub's issues endpoints return too) and comments, and answers with
 * GitHub's shapes, status codes and headers: 401 "Bad credentials", 404 "Not Found" for
 * repositories the token cannot see, 422 "Validation Failed" with `errors`, 403 with
 * `x-ratelimit-remaining: 0` once the rate limit is used up, 201 + Location on creation.
 */
import { type FakeHttp, type FakeRequest, fakeHttp, jsonResponse } from '@pmos/sdk/testing';

export const API = 'https://api.github.com';
const DOCS = 'https://docs.github.com/rest';

export interface FakeUser {
  login: string;
  id: number;
  name: string | null;
}

interface FakeLabel {
  id: number;
  name: string;
  color: string;
  description: string | null;
  default: boolean;
}

interface FakeIssue {
  id: number;
  number: number;
  title: string;
  body: string | null;
  state: 'open' | 'closed';
  state_reason: 'completed' | 'not_planned' | 'reopened' | null;
  user: string;
  labels: string[];
  assignees: string[];
  comments: number;
  isPullRequest: boolean;
  created_at: string;
  updated_at: string;
  closed_at: string | null;
}

interface FakeComment {
  id: number;
  issueNumber: number;
  body: string;
  user: string;
  created_at: string;
}

interface FakeRepo {
  id: number;
  owner: string;
  name: string;
  private: boolean;
  description: string | null;
  updated_at: string;
  /** Logins of users that may see the repository. */
  members: string[];
  labels: FakeLabel[];
  issues: FakeIssue[];
  comments: FakeComment[];
}

export interface FakeGitHub {
  /** Give it to the harness as `http`; every request is in `http.calls`. */
  http: FakeHttp;
  /** Adds a repository the given users (the owner by default) can see. */
  addRepo(
    fullName: string,
    o?: {
      private?: boolean;
      description?: string;
      updatedAt?: string;
      labels?: { name: string; color?: string; description?: string }[];
      members?: string[];
    },
  ): void;
  /** Adds an issue (or, with `pullRequest`, a pull request) and returns its number. */
  addIssue(
    fullName: string,
    o: {
      title: string;
      body?: string;
      state?: 'open' | 'closed';
      labels?: string[];
      assignees?: string[];
      pullRequest?: boolean;
      user?: string;
    },
  ): number;
  /** Uses up the rate limit: requests get 403 until `reset` (seconds since the epoch). */
  exhaustRateLimit(reset: number): void;
  issues(fullName: string): FakeIssue[];
  comments(fullName: string): FakeComment[];
}

/**
 * @param tokens token → user it belongs to.
 * @param hosts the plugin's declared hosts; requests elsewhere are refused as in PMOS.
 */
export function createFakeGitHub(o: {
  tokens: Record<string, FakeUser>;
  hosts?: readonly string[];
}): FakeGitHub {
  const repos = new Map<string, FakeRepo>();
  let nextId = 1000;
  let minute = 0;
  // A deterministic clock: each write is one minute after the previous one.
  const now = () => new Date(Date.UTC(2026, 0, 5, 9, minute++)).toISOString().replace('.000', '');
  let rateLimitReset: number | null = null;
  let remaining = 5000;

  const users = new Map<string, FakeUser>(
    Object.values(o.tokens).map((u) => [u.login.toLowerCase(), u]),
  );
  const userFor = (login: string): FakeUser =>
    users.get(login.toLowerCase()) ?? { login, id: 9_000 + login.length, name: null };

  // ---- GitHub's wire shapes -------------------------------------------------------------
  const simpleUser = (login: string) => {
    const u = userFor(login);
    return {
      login: u.login,
      id: u.id,
      node_id: `MDQ6VXNlcj${u.id}`,
      avatar_url: `https://avatars.githubusercontent.com/u/${u.id}?v=4`,
      url: `${API}/users/${u.login}`,
      html_url: `https://github.com/${u.login}`,
      type: 'User',
      site_admin: false,
    };
  };
  const labelJson = (repo: FakeRepo, l: FakeLabel) => ({
    id: l.id,
    node_id: `MDU6TGFiZWw${l.id}`,
    url: `${API}/repos/${repo.owner}/${repo.name}/labels/${encodeURIComponent(l.name)}`,
    name: l.name,
    color: l.color,
    default: l.default,
    description: l.description,
  });
  const repoJson = (repo: FakeRepo) => ({
    id: repo.id,
    node_id: `MDEwOlJlcG9zaXRvcnk${repo.id}`,
    name: repo.name,
    full_name: `${repo.owner}/${repo.name}`,
    private: repo.private,
    owner: simpleUser(repo.owner),
    html_url: `https://github.com/${repo.owner}/${repo.name}`,
    description: repo.description,
    fork: false,
    url: `${API}/repos/${repo.owner}/${repo.name}`,
    has_issues: true,
    open_issues_count: repo.issues.filter((i) => i.state === 'open').length,
    default_branch: 'main',
    visibility: repo.private ? 'private' : 'public',
    created_at: '2024-03-01T10:00:00Z',
    updated_at: repo.updated_at,
    pushed_at: repo.updated_at,
    permissions: { admin: true, maintain: true, push: true, triage: true, pull: true },
  });
  const issueJson = (repo: FakeRepo, i: FakeIssue) => {
    const base = `${API}/repos/${repo.owner}/${repo.name}`;
    const kind = i.isPullRequest ? 'pull' : 'issues';
    return {
      url: `${base}/issues/${i.number}`,
      repository_url: base,
      labels_url: `${base}/issues/${i.number}/labels{/name}`,
      comments_url: `${base}/issues/${i.number}/comments`,
      events_url: `${base}/issues/${i.number}/events`,
      html_url: `https://github.com/${repo.owner}/${repo.name}/${kind}/${i.number}`,
      id: i.id,
      node_id: `I_kwDO${i.id}`,
      number: i.number,
      title: i.title,
      user: simpleUser(i.user),
      labels: i.labels.map((name) => {
        const label = repo.labels.find((l) => l.name === name);
        return label ? labelJson(repo, label) : name;
      }),
      state: i.state,
      locked: false,
      assignee: i.assignees[0] ? simpleUser(i.assignees[0]) : null,
      assignees: i.assignees.map(simpleUser),
      milestone: null,
      comments: i.comments,
      created_at: i.created_at,
      updated_at: i.updated_at,
      closed_at: i.closed_at,
      author_association: 'OWNER',
      active_lock_reason: null,
      body: i.body,
      closed_by: null,
      state_reason: i.state_reason,
      ...(i.isPullRequest
        ? {
            draft: false,
            pull_request: {
              url: `${base}/pulls/${i.number}`,
              html_url: `https://github.com/${repo.owner}/${repo.name}/pull/${i.number}`,
              diff_url: `https://github.com/${repo.owner}/${repo.name}/pull/${i.number}.diff`,
              patch_url: `https://github.com/${repo.owner}/${repo.name}/pull/${i.number}.patch`,
              merged_at: null,
            },
          }
        : {}),
    };
  };
  const commentJson = (repo: FakeRepo, c: FakeComment) => ({
    id: c.id,
    node_id: `IC_kwDO${c.id}`,
    url: `${API}/repos/${repo.owner}/${repo.name}/issues/comments/${c.id}`,
    html_url: `https://github.com/${repo.owner}/${repo.name}/issues/${c.issueNumber}#issuecomment-${c.id}`,
    issue_url: `${API}/repos/${repo.owner}/${repo.name}/issues/${c.issueNumber}`,
    body: c.body,
    user: simpleUser(c.user),
    created_at: c.created_at,
    updated_at: c.created_at,
    author_association: 'OWNER',
  });

  // ---- answers ----------------------------------------------------------------------------
  const rateHeaders = () => ({
    'x-ratelimit-limit': '5000',
    'x-ratelimit-remaining': String(remaining),
    'x-ratelimit-used': String(5000 - remaining),
    'x-ratelimit-reset': String(rateLimitReset ?? 1_767_607_200),
    'x-ratelimit-resource': 'core',
    'x-github-api-version-selected': '2022-11-28',
  });
  const answer = (body: unknown, status = 200, headers: Record<string, string> = {}) =>
    jsonResponse(body, status, { ...rateHeaders(), ...headers });
  const error = (status: number, message: string, docs = DOCS, extra: object = {}) =>
    answer({ message, ...extra, documentation_url: docs, status: String(status) }, status);
  const notFound = (docs: string) => error(404, 'Not Found', docs);
  const validationFailed = (docs: string, errors: object[]) =>
    error(422, 'Validation Failed', docs, { errors });

  function authenticate(request: FakeRequest): FakeUser | Response {
    const match = /^(?:Bearer|token) (.+)$/.exec(request.headers.authorization ?? '');
    const user = match?.[1] ? o.tokens[match[1]] : undefined;
    if (!user) return error(401, 'Bad credentials', DOCS);
    if (rateLimitReset !== null) {
      remaining = 0;
      return error(
        403,
        `API rate limit exceeded for user ID ${user.id}. If you reach out to GitHub Support for help, please include the request ID 0400:3A5F:1B2C3D:4E5F6A:67890ABC.`,
        'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api',
      );
    }
    remaining -= 1;
    return user;
  }

  function findRepo(user: FakeUser, owner: string, name: string): FakeRepo | undefined {
    const repo = repos.get(`${owner}/${name}`.toLowerCase());
    return repo?.members.some((m) => m.toLowerCase() === user.login.toLowerCase())
      ? repo
      : undefined;
  }

  const routes: [string, RegExp, (r: FakeRequest, u: FakeUser, m: string[]) => Response][] = [
    ['GET', /^\/user$/, (_r, u) => answer({ ...simpleUser(u.login), name: u.name })],
    [
      'GET',
      /^\/user\/repos$/,
      (r, u) => {
        const perPage = Math.min(Number(r.query.get('per_page') ?? 30), 100);
        const visible = [...repos.values()].filter((repo) =>
          repo.members.some((m) => m.toLowerCase() === u.login.toLowerCase()),
        );
        if (r.query.get('sort') === 'updated') {
          visible.sort((a, b) => b.updated_at.localeCompare(a.updated_at));
        }
        return answer(visible.slice(0, perPage).map(repoJson));
      },
    ],
    [
      'GET',
      /^\/repos\/([^/]+)\/([^/]+)\/labels$/,
      (_r, u, [, owner = '', name = '']) => {
        const repo = findRepo(u, owner, name);
        if (!repo) return notFound(`${DOCS}/issues/labels#list-labels-for-a-repository`);
        return answer(repo.labels.map((l) => labelJson(repo, l)));
      },
    ],
    [
      'GET',
      /^\/repos\/([^/]+)\/([^/]+)\/assignees$/,
      (_r, u, [, owner = '', name = '']) => {
        const repo = findRepo(u, owner, name);
        if (!repo) return notFound(`${DOCS}/issues/assignees#list-assignees`);
        return answer(repo.members.map(simpleUser));
      },
    ],
    [
      'GET',
      /^\/repos\/([^/]+)\/([^/]+)\/issues$/,
      (r, u, [, owner = '', name = '']) => {
        const repo = findRepo(u, owner, name);
        if (!repo) return notFound(`${DOCS}/issues/issues#list-repository-issues`);
        const state = r.query.get('state') ?? 'open';
        if (!['open', 'closed', 'all'].includes(state)) {
          return validationFailed(`${DOCS}/issues/issues#list-repository-issues`, [
            { resource: 'Issue', field: 'state', code: 'invalid', value: state },
          ]);
        }
        const wanted = (r.query.get('labels') ?? '').split(',').filter(Boolean);
        const perPage = Math.min(Number(r.query.get('per_page') ?? 30), 100);
        const list = repo.issues
          .filter((i) => state === 'all' || i.state === state)
          .filter((i) => wanted.every((w) => i.labels.includes(w)))
          .sort((a, b) => b.number - a.number)
          .slice(0, perPage);
        return answer(list.map((i) => issueJson(repo, i)));
      },
    ],
    [
      'POST',
      /^\/repos\/([^/]+)\/([^/]+)\/issues$/,
      (r, u, [, owner = '', name = '']) => {
        const docs = `${DOCS}/issues/issues#create-an-issue`;
        const repo = findRepo(u, owner, name);
        if (!repo) return notFound(docs);
        const body = (r.body ?? {}) as Record<string, unknown>;
        if (typeof body.title !== 'string' || body.title === '') {
          return validationFailed(docs, [
            { resource: 'Issue', code: 'missing_field', field: 'title' },
          ]);
        }
        const assignees = Array.isArray(body.assignees) ? (body.assignees as string[]) : [];
        const stranger = assignees.find((a) => !repo.members.includes(a));
        if (stranger) {
          return validationFailed(docs, [
            { value: stranger, resource: 'Issue', field: 'assignees', code: 'invalid' },
          ]);
        }
        const labels = Array.isArray(body.labels) ? (body.labels as string[]) : [];
        for (const label of labels) {
          // GitHub creates a label it does not know yet (for people with push access).
          if (!repo.labels.some((l) => l.name === label)) {
            repo.labels.push({
              id: nextId++,
              name: label,
              color: 'ededed',
              description: null,
              default: false,
            });
          }
        }
        const issue = newIssue(repo, {
          title: body.title,
          body: typeof body.body === 'string' ? body.body : null,
          labels,
          assignees,
          user: u.login,
        });
        const location = `${API}/repos/${repo.owner}/${repo.name}/issues/${issue.number}`;
        return answer(issueJson(repo, issue), 201, { location });
      },
    ],
    [
      'PATCH',
      /^\/repos\/([^/]+)\/([^/]+)\/issues\/(\d+)$/,
      (r, u, [, owner = '', name = '', number = '']) => {
        const docs = `${DOCS}/issues/issues#update-an-issue`;
        const repo = findRepo(u, owner, name);
        const issue = repo?.issues.find((i) => i.number === Number(number));
        if (!repo || !issue) return notFound(docs);
        const body = (r.body ?? {}) as Record<string, unknown>;
        if (body.state !== undefined && body.state !== 'open' && body.state !== 'closed') {
          return validationFailed(docs, [
            { resource: 'Issue', field: 'state', code: 'invalid', value: body.state },
          ]);
        }
        const reason = body.state_reason;
        if (
          reason !== undefined &&
          !['completed', 'not_planned', 'reopened'].includes(String(reason))
        ) {
          return validationFailed(docs, [
            { resource: 'Issue', field: 'state_reason', code: 'invalid', value: reason },
          ]);
        }
        issue.updated_at = now();
        if (body.state === 'closed' && issue.state === 'open') {
          issue.state = 'closed';
          issue.closed_at = issue.updated_at;
          issue.state_reason = (reason as FakeIssue['state_reason']) ?? 'completed';
        }
        if (typeof body.title === 'string') issue.title = body.title;
        return answer(issueJson(repo, issue));
      },
    ],
    [
      'POST',
      /^\/repos\/([^/]+)\/([^/]+)\/issues\/(\d+)\/comments$/,
      (r, u, [, owner = '', name = '', number = '']) => {
        const docs = `${DOCS}/issues/comments#create-an-issue-comment`;
        const repo = findRepo(u, owner, name);
        const issue = repo?.issues.find((i) => i.number === Number(number));
        if (!repo || !issue) return notFound(docs);
        const body = (r.body ?? {}) as Record<string, unknown>;
        if (typeof body.body !== 'string' || body.body === '') {
          return validationFailed(docs, [
            { resource: 'IssueComment', code: 'missing_field', field: 'body' },
          ]);
        }
        const comment: FakeComment = {
          id: nextId++,
          issueNumber: issue.number,
          body: body.body,
          user: u.login,
          created_at: now(),
        };
        repo.comments.push(comment);
        issue.comments += 1;
        const location = `${API}/repos/${repo.owner}/${repo.name}/issues/comments/${comment.id}`;
        return answer(commentJson(repo, comment), 201, { location });
      },
    ],
  ];

  function newIssue(
    repo: FakeRepo,
    i: Pick<FakeIssue, 'title' | 'body' | 'labels' | 'assignees' | 'user'> &
      Partial<Pick<FakeIssue, 'state' | 'isPullRequest'>>,
  ): FakeIssue {
    const created = now();
    const closed = i.state === 'closed';
    const issue: FakeIssue = {
      id: nextId++,
      number: repo.issues.length + 1,
      comments: 0,
      state: closed ? 'closed' : 'open',
      state_reason: closed ? 'completed' : null,
      isPullRequest: i.isPullRequest ?? false,
      created_at: created,
      updated_at: created,
      closed_at: closed ? created : null,
      title: i.title,
      body: i.body,
      labels: i.labels,
      assignees: i.assignees,
      user: i.user,
    };
    repo.issues.push(issue);
    return issue;
  }

  const handler = (request: FakeRequest): Response => {
    const url = new URL(request.url);
    if (url.origin !== API) return error(404, 'Not Found');
    const user = authenticate(request);
    if (user instanceof Response) return user;
    for (const [method, pattern, handle] of routes) {
      const match = pattern.exec(url.pathname);
      if (match && method === request.method) {
        return handle(
          request,
          user,
          match.map((m) => decodeURIComponent(m)),
        );
      }
    }
    return error(404, 'Not Found', DOCS);
  };

  const repoOrThrow = (fullName: string) => {
    const repo = repos.get(fullName.toLowerCase());
    if (!repo) throw new Error(`fake GitHub has no repository ${fullName}`);
    return repo;
  };

  return {
    http: fakeHttp(handler, o.hosts ? { hosts: o.hosts } : {}),
    addRepo(fullName, r = {}) {
      const [owner = '', name = ''] = fullName.split('/');
      repos.set(fullName.toLowerCase(), {
        id: nextId++,
        owner,
        name,
        private: r.private ?? false,
        description: r.description ?? null,
        updated_at: r.updatedAt ?? '2025-12-01T12:00:00Z',
        members: r.members ?? [owner],
        labels: (r.labels ?? []).map((l) => ({
          id: nextId++,
          name: l.name,
          color: l.color ?? 'ededed',
          description: l.description ?? null,
          default: false,
        })),
        issues: [],
        comments: [],
      });
    },
    addIssue(fullName, i) {
      const repo = repoOrThrow(fullName);
      return newIssue(repo, {
        title: i.title,
        body: i.body ?? null,
        labels: i.labels ?? [],
        assignees: i.assignees ?? [],
        user: i.user ?? repo.owner,
        ...(i.state ? { state: i.state } : {}),
        ...(i.pullRequest ? { isPullRequest: true } : {}),
      }).number;
    },
    exhaustRateLimit(reset) {
      rateLimitReset = reset;
      remaining = 0;
    },
    issues: (fullName) => repoOrThrow(fullName).issues,
    comments: (fullName) => repoOrThrow(fullName).comments,
  };
}

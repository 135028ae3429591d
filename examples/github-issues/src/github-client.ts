/**
 * A small typed client of GitHub's REST API (v3) over the `fetch` PMOS hands the plugin
 * (`ctx.http`, bound to the hosts in package.json). Every failure becomes a `GitHubError`
 * with a stable `code` and a message a person can act on; the token never appears in one.
 */

export const GITHUB_API = 'https://api.github.com';
export const GITHUB_API_VERSION = '2022-11-28';
export const USER_AGENT = 'pmos-github-issues';

/** GitHub's REST objects, reduced to the fields this plugin reads. */
export interface GitHubUser {
  login: string;
  id: number;
  name?: string | null;
  html_url?: string;
  type?: string;
}

export interface GitHubLabel {
  id: number;
  name: string;
  color: string;
  description: string | null;
  default?: boolean;
}

export interface GitHubRepository {
  id: number;
  name: string;
  full_name: string;
  private: boolean;
  owner: GitHubUser;
  html_url: string;
  description: string | null;
  has_issues?: boolean;
  updated_at?: string;
}

export interface GitHubIssue {
  id: number;
  number: number;
  title: string;
  body: string | null;
  state: 'open' | 'closed';
  state_reason: 'completed' | 'not_planned' | 'reopened' | 'duplicate' | null;
  html_url: string;
  user: GitHubUser | null;
  labels: (GitHubLabel | string)[];
  assignees: GitHubUser[];
  comments: number;
  created_at: string;
  updated_at: string;
  closed_at: string | null;
  /** Present when the "issue" is a pull request: the issues endpoints return both. */
  pull_request?: { url: string; html_url: string };
}

export interface GitHubComment {
  id: number;
  body: string;
  html_url: string;
  user: GitHubUser | null;
  created_at: string;
  updated_at: string;
}

/** GitHub's error body: `{ message, documentation_url, status?, errors? }`. */
export interface GitHubErrorBody {
  message?: string;
  documentation_url?: string;
  status?: string;
  errors?: (
    | { resource?: string; field?: string; code: string; message?: string; value?: unknown }
    | string
  )[];
}

export type GitHubErrorCode =
  | 'bad_credentials'
  | 'not_found'
  | 'rate_limited'
  | 'validation_failed'
  | 'forbidden'
  | 'unexpected'
  /** The request never got an answer (DNS, TLS, connection refused …). */
  | 'unreachable';

export class GitHubError extends Error {
  constructor(
    readonly code: GitHubErrorCode,
    message: string,
    readonly details: {
      /** The HTTP status GitHub answered with; null when there was no answer. */
      status: number | null;
      documentationUrl?: string;
      /** When the rate limit resets (rate_limited only). */
      resetAt?: Date;
    } = { status: null },
  ) {
    super(message);
    this.name = 'GitHubError';
  }

  get status(): number | null {
    return this.details.status;
  }
}

/** The issue as actions and the trigger return it: GitHub's issue, flattened to what flows use. */
export interface IssueSummary {
  number: number;
  title: string;
  body: string | null;
  state: 'open' | 'closed';
  state_reason: GitHubIssue['state_reason'];
  html_url: string;
  /** Label names. */
  labels: string[];
  /** Assignee logins. */
  assignees: string[];
  /** The login of the person who opened it. */
  author: string | null;
  comments: number;
  created_at: string;
  closed_at: string | null;
}

export function toIssueSummary(issue: GitHubIssue): IssueSummary {
  return {
    number: issue.number,
    title: issue.title,
    body: issue.body,
    state: issue.state,
    state_reason: issue.state_reason ?? null,
    html_url: issue.html_url,
    labels: issue.labels.map((l) => (typeof l === 'string' ? l : l.name)),
    assignees: issue.assignees.map((a) => a.login),
    author: issue.user?.login ?? null,
    comments: issue.comments,
    created_at: issue.created_at,
    closed_at: issue.closed_at,
  };
}

/** "owner/name" → the URL path segment, or a plain error before any request. */
export function repoPath(fullName: unknown): string {
  const match =
    typeof fullName === 'string' ? /^([\w.-]+)\/([\w.-]+)$/.exec(fullName.trim()) : null;
  if (!match?.[1] || !match[2]) {
    throw new GitHubError(
      'validation_failed',
      `Choose a repository as owner/name, like octocat/hello-world (got ${JSON.stringify(fullName)}).`,
    );
  }
  return `/repos/${encodeURIComponent(match[1])}/${encodeURIComponent(match[2])}`;
}

export interface RequestOptions {
  query?: Record<string, string | number | undefined>;
  body?: unknown;
  /** Named in "not found" messages: "the repository octocat/x". */
  what?: string;
}

export interface GitHubClient {
  request<T>(method: string, path: string, options?: RequestOptions): Promise<T>;
  getAuthenticatedUser(): Promise<GitHubUser>;
  listRepositories(): Promise<GitHubRepository[]>;
  listLabels(repository: string): Promise<GitHubLabel[]>;
  listAssignees(repository: string): Promise<GitHubUser[]>;
  listIssues(
    repository: string,
    filter: { state: 'open' | 'closed' | 'all'; labels?: string[] },
  ): Promise<GitHubIssue[]>;
  createIssue(
    repository: string,
    issue: { title: string; body?: string; labels?: string[]; assignees?: string[] },
  ): Promise<GitHubIssue>;
  closeIssue(
    repository: string,
    issueNumber: number,
    stateReason: 'completed' | 'not_planned',
  ): Promise<GitHubIssue>;
  addComment(repository: string, issueNumber: number, body: string): Promise<GitHubComment>;
}

export function createGitHubClient(options: {
  http: typeof fetch;
  token: string;
  signal?: AbortSignal;
}): GitHubClient {
  const { http, token, signal } = options;
  if (typeof token !== 'string' || token.trim() === '') {
    throw new GitHubError('bad_credentials', 'Add a GitHub personal access token first.');
  }
  const redact = (text: string) => text.split(token).join('***');

  async function request<T>(method: string, path: string, o: RequestOptions = {}): Promise<T> {
    const url = new URL(path, GITHUB_API);
    for (const [key, value] of Object.entries(o.query ?? {})) {
      if (value !== undefined) url.searchParams.set(key, String(value));
    }
    const headers: Record<string, string> = {
      Authorization: `Bearer ${token}`,
      Accept: 'application/vnd.github+json',
      'X-GitHub-Api-Version': GITHUB_API_VERSION,
      'User-Agent': USER_AGENT,
    };
    if (o.body !== undefined) headers['Content-Type'] = 'application/json';
    let response: Response;
    try {
      response = await http(url, {
        method,
        headers,
        body: o.body === undefined ? undefined : JSON.stringify(o.body),
        signal,
      });
    } catch (error) {
      // fetch rejects with a TypeError when no answer came; anything else (a refused host,
      // an abort) is the host's own error and goes up as it is.
      if (error instanceof TypeError) {
        const cause = error.cause instanceof Error ? error.cause.message : error.message;
        throw new GitHubError('unreachable', redact(`GitHub could not be reached (${cause}).`));
      }
      throw error;
    }
    if (response.ok) {
      return (response.status === 204 ? undefined : await response.json()) as T;
    }
    throw toGitHubError(response, await readErrorBody(response), o.what, redact);
  }

  return {
    request,
    getAuthenticatedUser: () => request<GitHubUser>('GET', '/user'),
    listRepositories: () =>
      request<GitHubRepository[]>('GET', '/user/repos', {
        query: { per_page: 100, sort: 'updated' },
      }),
    listLabels: (repository) =>
      request<GitHubLabel[]>('GET', `${repoPath(repository)}/labels`, {
        query: { per_page: 100 },
        what: `the repository ${repository}`,
      }),
    listAssignees: (repository) =>
      request<GitHubUser[]>('GET', `${repoPath(repository)}/assignees`, {
        query: { per_page: 100 },
        what: `the repository ${repository}`,
      }),
    listIssues: (repository, filter) =>
      request<GitHubIssue[]>('GET', `${repoPath(repository)}/issues`, {
        query: {
          state: filter.state,
          labels: filter.labels?.length ? filter.labels.join(',') : undefined,
          per_page: 100,
        },
        what: `the repository ${repository}`,
      }),
    createIssue: (repository, issue) =>
      request<GitHubIssue>('POST', `${repoPath(repository)}/issues`, {
        body: issue,
        what: `the repository ${repository}`,
      }),
    closeIssue: (repository, issueNumber, stateReason) =>
      request<GitHubIssue>('PATCH', `${repoPath(repository)}/issues/${issueNumber}`, {
        body: { state: 'closed', state_reason: stateReason },
        what: `issue #${issueNumber} in ${repository}`,
      }),
    addComment: (repository, issueNumber, body) =>
      request<GitHubComment>('POST', `${repoPath(repository)}/issues/${issueNumber}/comments`, {
        body: { body },
        what: `issue #${issueNumber} in ${repository}`,
      }),
  };
}

async function readErrorBody(response: Response): Promise<GitHubErrorBody> {
  const text = await response.text().catch(() => '');
  try {
    const parsed: unknown = JSON.parse(text);
    return parsed && typeof parsed === 'object' ? (parsed as GitHubErrorBody) : {};
  } catch {
    return { message: text.slice(0, 200) || undefined };
  }
}

/** Maps GitHub's answer to an error code and a sentence a person can act on. */
export function toGitHubError(
  response: Response,
  body: GitHubErrorBody,
  what = 'what was asked for',
  redact: (text: string) => string = (t) => t,
): GitHubError {
  const status = response.status;
  const documentationUrl = body.documentation_url;
  const make = (code: GitHubErrorCode, message: string, resetAt?: Date) =>
    new GitHubError(code, redact(message), {
      status,
      ...(documentationUrl ? { documentationUrl } : {}),
      ...(resetAt ? { resetAt } : {}),
    });
  const githubSays = body.message ? ` GitHub says: "${body.message}".` : '';

  if (status === 401) {
    return make('bad_credentials', 'GitHub refused the token: it is wrong, expired or revoked.');
  }
  const remaining = response.headers.get('x-ratelimit-remaining');
  const secondary = /secondary rate limit/i.test(body.message ?? '');
  if (status === 429 || (status === 403 && (remaining === '0' || secondary))) {
    const resetAt = rateLimitReset(response);
    const when = resetAt
      ? `it resets at ${resetAt.toISOString().slice(11, 16)} UTC (${resetAt.toISOString()})`
      : 'try again in a few minutes';
    return make(
      'rate_limited',
      `GitHub's rate limit for this token is used up: ${when}.`,
      resetAt ?? undefined,
    );
  }
  if (status === 403) {
    return make(
      'forbidden',
      `GitHub did not allow this: the token may lack the "Issues" read and write permission for ${what}.${githubSays}`,
    );
  }
  if (status === 404) {
    return make(
      'not_found',
      `GitHub could not find ${what}, or the token cannot see it: check the name and the token's repository access.`,
    );
  }
  if (status === 410) {
    return make('not_found', `Issues are turned off for ${what}.`);
  }
  if (status === 422) {
    const problems = (body.errors ?? []).map(describeValidationError).filter(Boolean);
    return make(
      'validation_failed',
      problems.length
        ? `GitHub did not accept the request: ${problems.join('; ')}.`
        : `GitHub did not accept the request.${githubSays}`,
    );
  }
  return make('unexpected', `GitHub answered with an error (HTTP ${status}).${githubSays}`);
}

function describeValidationError(error: NonNullable<GitHubErrorBody['errors']>[number]): string {
  if (typeof error === 'string') return error;
  const field = error.field ?? error.resource ?? 'a field';
  switch (error.code) {
    case 'missing_field':
      return `${field} is missing`;
    case 'missing':
      return `${error.resource ?? field} does not exist`;
    case 'invalid':
      return error.value !== undefined
        ? `${field} has a value GitHub does not accept (${JSON.stringify(error.value)})`
        : `${field} is not valid`;
    case 'already_exists':
      return `${field} already exists`;
    case 'unprocessable':
      return `${field} could not be processed`;
    default:
      return error.message ?? `${field}: ${error.code}`;
  }
}

function rateLimitReset(response: Response): Date | null {
  const reset = Number(response.headers.get('x-ratelimit-reset'));
  if (Number.isFinite(reset) && reset > 0) return new Date(reset * 1000);
  const retryAfter = Number(response.headers.get('retry-after'));
  if (Number.isFinite(retryAfter) && retryAfter > 0)
    return new Date(Date.now() + retryAfter * 1000);
  return null;
}

import { defineAction, prop } from '@pmos/sdk/server';
import {
  createGitHubClient,
  GitHubError,
  type IssueSummary,
  toIssueSummary,
} from './github-client.js';
import { assignees, githubAuth, issueNumber, labels, repository } from './props.js';

const client = (ctx: { http: typeof fetch; auth: string; signal: AbortSignal }) =>
  createGitHubClient({ http: ctx.http, token: ctx.auth, signal: ctx.signal });

/** Issue numbers are positive whole numbers; refuse anything else before calling GitHub. */
function checkIssueNumber(value: number): number {
  if (!Number.isInteger(value) || value < 1) {
    throw new GitHubError(
      'validation_failed',
      `An issue number is a whole number from 1 up, like 42 (got ${value}).`,
    );
  }
  return value;
}

export const sampleIssue: IssueSummary = {
  number: 1347,
  title: 'Found a bug',
  body: "I'm having a problem with this.",
  state: 'open',
  state_reason: null,
  html_url: 'https://github.com/octocat/Hello-World/issues/1347',
  labels: ['bug'],
  assignees: ['octocat'],
  author: 'octocat',
  comments: 0,
  created_at: '2011-04-22T13:33:48Z',
  closed_at: null,
};

export const listIssues = defineAction({
  id: 'list_issues',
  displayName: 'List issues',
  description:
    'Lists the issues of a repository (up to 100, most recently created first), without pull requests.',
  risk: 'read',
  auth: githubAuth,
  props: {
    repository,
    state: prop.staticDropdown({
      displayName: 'State',
      required: true,
      defaultValue: 'open',
      options: {
        options: [
          { label: 'Open', value: 'open' },
          { label: 'Closed', value: 'closed' },
          { label: 'All', value: 'all' },
        ],
      },
    }),
    labels,
  },
  sampleOutput: { issues: [sampleIssue], count: 1 },
  async run(ctx) {
    const items = await client(ctx).listIssues(ctx.props.repository, {
      state: ctx.props.state,
      labels: ctx.props.labels,
    });
    // GitHub's issues endpoint returns pull requests too; they carry `pull_request`.
    const issues = items.filter((item) => !item.pull_request).map(toIssueSummary);
    return { issues, count: issues.length };
  },
});

export const createIssue = defineAction({
  id: 'create_issue',
  displayName: 'Create issue',
  description: 'Opens a new issue in a repository, with labels and assignees if given.',
  risk: 'write',
  auth: githubAuth,
  props: {
    repository,
    title: prop.shortText({ displayName: 'Title', required: true }),
    body: prop.longText({ displayName: 'Description', description: 'Markdown.' }),
    labels,
    assignees,
  },
  sampleOutput: sampleIssue,
  async run(ctx) {
    const title = ctx.props.title.trim();
    if (!title) throw new GitHubError('validation_failed', 'Give the issue a title.');
    const issue = await client(ctx).createIssue(ctx.props.repository, {
      title,
      ...(ctx.props.body ? { body: ctx.props.body } : {}),
      ...(ctx.props.labels?.length ? { labels: ctx.props.labels } : {}),
      ...(ctx.props.assignees?.length ? { assignees: ctx.props.assignees } : {}),
    });
    ctx.logger.info('Created a GitHub issue', {
      repository: ctx.props.repository,
      number: issue.number,
    });
    return toIssueSummary(issue);
  },
});

export const closeIssue = defineAction({
  id: 'close_issue',
  displayName: 'Close issue',
  description: 'Closes an issue as completed or as not planned.',
  risk: 'write',
  auth: githubAuth,
  props: {
    repository,
    issue_number: issueNumber,
    state_reason: prop.staticDropdown({
      displayName: 'Reason',
      required: false,
      defaultValue: 'completed',
      options: {
        options: [
          { label: 'Completed', value: 'completed' },
          { label: 'Not planned', value: 'not_planned' },
        ],
      },
    }),
  },
  sampleOutput: {
    ...sampleIssue,
    state: 'closed',
    state_reason: 'completed',
    closed_at: '2011-04-23T09:12:05Z',
  },
  async run(ctx) {
    const issue = await client(ctx).closeIssue(
      ctx.props.repository,
      checkIssueNumber(ctx.props.issue_number),
      ctx.props.state_reason ?? 'completed',
    );
    return toIssueSummary(issue);
  },
});

export const addComment = defineAction({
  id: 'add_comment',
  displayName: 'Add comment',
  description: 'Adds a comment to an issue.',
  risk: 'write',
  auth: githubAuth,
  props: {
    repository,
    issue_number: issueNumber,
    body: prop.longText({ displayName: 'Comment', description: 'Markdown.', required: true }),
  },
  sampleOutput: {
    id: 1253456789,
    issue_number: 1347,
    body: 'Me too',
    html_url: 'https://github.com/octocat/Hello-World/issues/1347#issuecomment-1253456789',
    author: 'octocat',
    created_at: '2011-04-14T16:00:49Z',
  },
  async run(ctx) {
    const body = ctx.props.body.trim();
    if (!body) throw new GitHubError('validation_failed', 'Write something to comment.');
    const number = checkIssueNumber(ctx.props.issue_number);
    const comment = await client(ctx).addComment(ctx.props.repository, number, body);
    return {
      id: comment.id,
      issue_number: number,
      body: comment.body,
      html_url: comment.html_url,
      author: comment.user?.login ?? null,
      created_at: comment.created_at,
    };
  },
});

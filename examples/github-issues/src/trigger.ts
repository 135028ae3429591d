import { defineTrigger, prop } from '@pmos/sdk/server';
import { sampleIssue } from './actions.js';
import { type GitHubIssue, type IssueSummary, toIssueSummary } from './github-client.js';
import { githubAuth } from './props.js';
import { asDelivery, header, verifySignature } from './webhook.js';

export const issueActions = ['opened', 'closed', 'reopened', 'labeled', 'assigned'] as const;
export type IssueAction = (typeof issueActions)[number];

export interface IssueEvent {
  action: IssueAction;
  issue: IssueSummary;
  /** "owner/name". */
  repository: string;
  /** The login of who did it. */
  sender: string;
  /** The label added (labeled only). */
  label: string | null;
  /** The person assigned (assigned only). */
  assignee: string | null;
}

/** The `issues` webhook body, reduced to what the trigger reads. */
interface IssuesWebhookBody {
  action: string;
  issue: GitHubIssue;
  repository: { full_name: string };
  sender: { login: string };
  label?: { name: string };
  assignee?: { login: string } | null;
}

export const issueEvent = defineTrigger({
  id: 'issue_event',
  displayName: 'Issue event',
  description: 'Starts the flow when an issue is opened, closed, reopened, labeled or assigned.',
  strategy: 'webhook',
  auth: githubAuth,
  props: {
    setup: prop.markdown({
      variant: 'info',
      text:
        "In the repository's **Settings → Webhooks → Add webhook**, paste the webhook URL PMOS " +
        'shows for this flow, choose content type `application/json`, enter the same secret as ' +
        'below and select **Let me select individual events → Issues**.',
    }),
    events: prop.staticMultiSelect({
      displayName: 'Events',
      description: 'Which issue events start the flow.',
      required: true,
      defaultValue: [...issueActions],
      options: {
        options: [
          { label: 'Opened', value: 'opened' },
          { label: 'Closed', value: 'closed' },
          { label: 'Reopened', value: 'reopened' },
          { label: 'Labeled', value: 'labeled' },
          { label: 'Assigned', value: 'assigned' },
        ],
      },
    }),
    secret: prop.shortText({
      displayName: 'Webhook secret',
      description:
        'The secret set on the GitHub webhook; deliveries not signed with it are refused.',
      required: true,
    }),
  },
  sampleOutput: {
    action: 'opened',
    issue: sampleIssue,
    repository: 'octocat/Hello-World',
    sender: 'octocat',
    label: null,
    assignee: null,
  } satisfies IssueEvent,
  async run(ctx): Promise<IssueEvent[]> {
    const delivery = asDelivery(ctx.payload);
    // Verify first: nothing of an unsigned delivery is trusted, not even its event name.
    verifySignature(delivery, ctx.props.secret);
    const event = header(delivery.headers, 'x-github-event');
    if (event !== 'issues') return []; // "ping" on creation, or an event the hook also sends
    const body = JSON.parse(delivery.body) as IssuesWebhookBody;
    const selected: readonly string[] = ctx.props.events;
    if (!selected.includes(body.action)) return [];
    return [
      {
        action: body.action as IssueAction,
        issue: toIssueSummary(body.issue),
        repository: body.repository.full_name,
        sender: body.sender.login,
        label: body.label?.name ?? null,
        assignee: body.assignee?.login ?? null,
      },
    ];
  },
});

import { Alert, Badge, Card, CardContent, CardDescription, CardHeader, CardTitle } from '@pmos/ui';
import { Link } from 'react-router';
import { useMe } from '../auth/session.js';
import { ArrowRightIcon, ChatIcon, PlugIcon, UsersIcon, ZapIcon } from '../common/icons.js';
import { PageHeader } from '../common/page-header.js';
import { roleDescriptions, roleLabels } from '../lib/roles.js';
import { PluginPanels } from '../plugins/plugin-panels.js';
import { readinessText } from '../shell/server-status.js';
import { useWorkspace } from '../shell/use-workspace.js';
import { useReadiness } from '../use-readiness.js';

function greeting(hour: number): string {
  if (hour < 5) return 'Good evening';
  if (hour < 12) return 'Good morning';
  if (hour < 18) return 'Good afternoon';
  return 'Good evening';
}

export function DashboardPage() {
  const me = useMe();
  const { workspace, can } = useWorkspace();
  const readiness = useReadiness();
  const firstName = me.user.name.trim().split(/\s+/)[0] ?? me.user.name;
  const base = `/w/${workspace.id}`;

  const steps = [
    {
      icon: UsersIcon,
      title: 'Invite your team',
      text: 'Add the people who build and run automations with you.',
      to: `${base}/settings/invites`,
      available: can('members.manage'),
      cta: can('members.manage') ? 'Invite people' : 'Admins only',
    },
    {
      icon: PlugIcon,
      title: 'Connect an integration',
      text: 'GitHub, Basecamp, Activepieces pieces and AI providers.',
      to: `${base}/integrations`,
      available: true,
      cta: can('connections.manage') ? 'Connect' : 'See integrations',
    },
    {
      icon: ZapIcon,
      title: 'Build your first automation',
      text: 'A trigger and a few steps that run on their own.',
      to: `${base}/automations`,
      available: true,
      cta: can('flows.write') ? 'Build' : 'See automations',
    },
    {
      icon: ChatIcon,
      title: 'Ask the operator',
      text: 'Chat with an agent that acts with your approval.',
      to: `${base}/chat`,
      available: can('chat.use'),
      cta: can('chat.use') ? 'Ask' : 'Members only',
    },
  ];

  return (
    <>
      <PageHeader
        title={`${greeting(new Date().getHours())}, ${firstName}`}
        description={
          <>
            This is <strong>{workspace.name}</strong>. Here is where your team's automations will
            live.
          </>
        }
      />
      {readiness.state === 'not_ready' ? (
        <Alert tone="danger" title="The server is not ready">
          {readiness.reason}
        </Alert>
      ) : null}
      {readiness.state === 'offline' ? (
        <Alert tone="danger" title="The server does not answer">
          Check that PMOS is running; this page recovers on its own.
        </Alert>
      ) : null}

      <div className="dashboard-grid">
        <Card className="dashboard-steps">
          <CardHeader>
            <CardTitle>Get started</CardTitle>
            <CardDescription>
              Four steps from an empty workspace to work done for you.
            </CardDescription>
          </CardHeader>
          <CardContent>
            <ol className="steps">
              {steps.map((step) => {
                const Icon = step.icon;
                return (
                  <li key={step.title} className="step">
                    <span className="step-icon">
                      <Icon />
                    </span>
                    <span className="step-text">
                      <span className="step-title">{step.title}</span>
                      <span className="muted small">{step.text}</span>
                    </span>
                    {step.available ? (
                      <Link to={step.to} className="step-link">
                        {step.cta}
                        <ArrowRightIcon />
                      </Link>
                    ) : (
                      <Badge>{step.cta}</Badge>
                    )}
                  </li>
                );
              })}
            </ol>
          </CardContent>
        </Card>

        <div className="stack">
          <Card>
            <CardHeader>
              <CardTitle>Your role</CardTitle>
              <CardDescription>What you can do in {workspace.name}.</CardDescription>
            </CardHeader>
            <CardContent>
              <div className="role-line">
                <Badge tone="primary">{roleLabels[workspace.role]}</Badge>
                <span className="muted small">{roleDescriptions[workspace.role]}</span>
              </div>
            </CardContent>
          </Card>
          <Card>
            <CardHeader>
              <CardTitle>Server</CardTitle>
              <CardDescription>Health of this PMOS instance.</CardDescription>
            </CardHeader>
            <CardContent>
              <output className={`server-status server-status--${readiness.state}`}>
                <span className="server-status-dot" aria-hidden="true" />
                {readinessText[readiness.state]}
              </output>
            </CardContent>
          </Card>
        </div>
      </div>

      <PluginPanels slot="workspace.dashboard.widget" context={{}} />
    </>
  );
}

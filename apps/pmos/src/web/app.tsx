import { Card, CardContent, CardDescription, CardHeader, CardTitle, EmptyState } from '@pmos/ui';
import { type Readiness, useReadiness } from './use-readiness.js';

const statusText: Record<Readiness['state'], string> = {
  checking: 'Checking…',
  ready: 'Ready',
  not_ready: 'Not ready',
  offline: 'Unreachable',
};

export function App() {
  const readiness = useReadiness();
  return (
    <div className="app">
      <header className="app-header">
        <span className="app-logo" aria-hidden="true">
          P
        </span>
        <span className="app-name">PMOS</span>
        <output className={`app-status app-status--${readiness.state}`} aria-live="polite">
          <span className="app-status-dot" aria-hidden="true" />
          Server: {statusText[readiness.state]}
        </output>
      </header>
      <main className="app-main">
        <Card>
          <CardHeader>
            <CardTitle>Welcome to PMOS</CardTitle>
            <CardDescription>
              Automations and AI operations for your company, in one workspace.
            </CardDescription>
          </CardHeader>
          <CardContent>
            {readiness.state === 'not_ready' && (
              <p role="alert" className="app-alert">
                {readiness.reason}
              </p>
            )}
            {readiness.state === 'offline' && (
              <p role="alert" className="app-alert">
                The PMOS server does not answer. Check that it is running, then reload this page.
              </p>
            )}
            <EmptyState
              icon={<WorkspaceIcon />}
              title="Accounts are coming next"
              description="This instance is installed and its database is set up. Sign-up, sign-in and workspaces are the next part of PMOS to land; until then there is nothing to configure here."
            />
          </CardContent>
        </Card>
      </main>
    </div>
  );
}

function WorkspaceIcon() {
  return (
    <svg width="32" height="32" viewBox="0 0 24 24" fill="none" aria-hidden="true">
      <rect x="3" y="4" width="18" height="14" rx="2" stroke="currentColor" strokeWidth="1.5" />
      <path d="M3 8h18M8 21h8" stroke="currentColor" strokeWidth="1.5" strokeLinecap="round" />
    </svg>
  );
}

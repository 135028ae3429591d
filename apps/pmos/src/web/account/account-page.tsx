import { Badge, Button, Card, CardContent, CardDescription, CardHeader, CardTitle } from '@pmos/ui';
import { useState } from 'react';
import { useMe, useSignOut } from '../auth/session.js';
import { PageHeader } from '../common/page-header.js';
import { initials } from '../lib/format.js';
import { roleLabels } from '../lib/roles.js';
import { SignOutEverywhereDialog } from '../shell/user-menu.js';
import { ApiTokens } from './api-tokens.js';

export function AccountPage() {
  const me = useMe();
  const signOut = useSignOut();
  const [confirmEverywhere, setConfirmEverywhere] = useState(false);
  return (
    <>
      <PageHeader title="Account" description="Your profile, API tokens and sessions." />
      <div className="stack-lg">
        <Card>
          <CardHeader>
            <CardTitle>Profile</CardTitle>
          </CardHeader>
          <CardContent>
            <div className="profile">
              <span className="user-avatar user-avatar--lg" aria-hidden="true">
                {initials(me.user.name)}
              </span>
              <div className="profile-text">
                <div className="profile-name">
                  {me.user.name}
                  {me.user.platformRole === 'super_admin' ? (
                    <Badge tone="primary">Super admin</Badge>
                  ) : null}
                </div>
                <div className="muted">{me.user.email}</div>
              </div>
            </div>
            <h3 className="subheading">Workspaces</h3>
            <ul className="plain-list">
              {me.workspaces.map((workspace) => (
                <li key={workspace.id} className="plain-list-row">
                  <span>{workspace.name}</span>
                  <Badge>{roleLabels[workspace.role]}</Badge>
                </li>
              ))}
            </ul>
          </CardContent>
        </Card>

        <ApiTokens />

        <Card>
          <CardHeader>
            <CardTitle>Sessions</CardTitle>
            <CardDescription>
              Lost a laptop, or signed in on a shared computer? End every session of your account at
              once; you will need to sign in again here too.
            </CardDescription>
          </CardHeader>
          <CardContent>
            <Button variant="secondary" onClick={() => setConfirmEverywhere(true)}>
              Sign out everywhere
            </Button>
          </CardContent>
        </Card>
      </div>
      <SignOutEverywhereDialog
        open={confirmEverywhere}
        onClose={() => setConfirmEverywhere(false)}
        onConfirm={() => signOut(true)}
      />
    </>
  );
}

import { createBrowserRouter, type LoaderFunctionArgs, redirect } from 'react-router';
import { InvitePage } from './auth/invite-page.js';
import { meQuery, safeNext } from './auth/session.js';
import { SignInPage } from './auth/sign-in-page.js';
import { SignUpPage } from './auth/sign-up-page.js';
import { NotFoundPage } from './common/not-found-page.js';
import { LoadingScreen, RouteError } from './common/route-error.js';
import { DashboardPage } from './dashboard/dashboard-page.js';
import { queryClient } from './lib/query-client.js';
import { SettingsLayout } from './settings/settings-layout.js';
import { AppShell } from './shell/app-shell.js';
import { HomeRedirect, SectionRedirect, WorkspaceGate } from './shell/workspace-gate.js';

/** Everything but the public pages needs a session: others go to sign-in, and come back. */
async function requireSession({ request }: LoaderFunctionArgs) {
  const me = await queryClient.ensureQueryData(meQuery);
  if (me) return null;
  const url = new URL(request.url);
  const wanted = url.pathname + url.search;
  throw redirect(wanted === '/' ? '/sign-in' : `/sign-in?next=${encodeURIComponent(wanted)}`);
}

/** Signed-in people have nothing to do on sign-in and sign-up: send them on. */
async function redirectIfSignedIn({ request }: LoaderFunctionArgs) {
  const me = await queryClient.ensureQueryData(meQuery);
  if (me) throw redirect(safeNext(new URL(request.url).searchParams.get('next')));
  return null;
}

export const router = createBrowserRouter([
  {
    errorElement: <RouteError />,
    hydrateFallbackElement: <LoadingScreen />,
    children: [
      { path: '/sign-in', loader: redirectIfSignedIn, element: <SignInPage /> },
      { path: '/sign-up', loader: redirectIfSignedIn, element: <SignUpPage /> },
      {
        path: '/invite/:token',
        loader: () => queryClient.ensureQueryData(meQuery).then(() => null),
        element: <InvitePage />,
      },
      {
        path: '/',
        loader: requireSession,
        element: <AppShell />,
        children: [
          { index: true, element: <HomeRedirect /> },
          {
            path: 'w/:workspaceId',
            element: <WorkspaceGate />,
            children: [
              { index: true, element: <DashboardPage /> },
              {
                path: 'automations',
                lazy: async () => ({
                  Component: (await import('./automations/automations-page.js')).AutomationsPage,
                }),
              },
              {
                path: 'flows/:flowId',
                lazy: async () => ({
                  Component: (await import('./studio/studio-page.js')).StudioPage,
                }),
              },
              {
                path: 'runs',
                lazy: async () => ({
                  Component: (await import('./runs/runs-page.js')).RunsPage,
                }),
              },
              {
                path: 'runs/:runId',
                lazy: async () => ({
                  Component: (await import('./runs/run-page.js')).RunPage,
                }),
              },
              {
                path: 'integrations',
                lazy: async () => ({
                  Component: (await import('./integrations/integrations-page.js')).IntegrationsPage,
                }),
              },
              {
                path: 'chat',
                lazy: async () => ({
                  Component: (await import('./chat/chat-page.js')).ChatPage,
                }),
              },
              {
                path: 'settings',
                element: <SettingsLayout />,
                children: [
                  {
                    index: true,
                    lazy: async () => ({
                      Component: (await import('./settings/general-settings.js')).GeneralSettings,
                    }),
                  },
                  {
                    path: 'members',
                    lazy: async () => ({
                      Component: (await import('./settings/members-settings.js')).MembersSettings,
                    }),
                  },
                  {
                    path: 'invites',
                    lazy: async () => ({
                      Component: (await import('./settings/invites-settings.js')).InvitesSettings,
                    }),
                  },
                  {
                    path: 'secrets',
                    lazy: async () => ({
                      Component: (await import('./settings/secrets-settings.js')).SecretsSettings,
                    }),
                  },
                  {
                    path: 'plugins',
                    lazy: async () => ({
                      Component: (await import('./settings/plugins-settings.js')).PluginsSettings,
                    }),
                  },
                  {
                    path: 'ai',
                    lazy: async () => ({
                      Component: (await import('./settings/ai-settings.js')).AiSettings,
                    }),
                  },
                  {
                    path: 'usage',
                    lazy: async () => ({
                      Component: (await import('./settings/usage-settings.js')).UsageSettings,
                    }),
                  },
                  {
                    path: 'audit',
                    lazy: async () => ({
                      Component: (await import('./settings/audit-settings.js')).AuditSettings,
                    }),
                  },
                ],
              },
              { path: '*', element: <NotFoundPage /> },
            ],
          },
          // Workspace-less shortcuts (docs, bookmarks): open the section in the current workspace.
          ...['automations', 'runs', 'integrations', 'chat', 'settings'].map((section) => ({
            path: `${section}/*`,
            element: <SectionRedirect />,
          })),
          // Pages visited now and then load on first visit, keeping the first load small.
          {
            path: 'account',
            lazy: async () => ({
              Component: (await import('./account/account-page.js')).AccountPage,
            }),
          },
          {
            path: 'admin',
            lazy: async () => ({ Component: (await import('./admin/admin-page.js')).AdminPage }),
            children: [
              {
                index: true,
                lazy: async () => ({
                  Component: (await import('./admin/admin-page.js')).InstanceOverview,
                }),
              },
              {
                path: 'audit',
                lazy: async () => ({
                  Component: (await import('./admin/admin-audit.js')).AdminAudit,
                }),
              },
              {
                path: 'plugins',
                lazy: async () => ({
                  Component: (await import('./admin/admin-plugins.js')).AdminPlugins,
                }),
              },
              {
                path: 'limits',
                lazy: async () => ({
                  Component: (await import('./admin/admin-limits.js')).AdminLimits,
                }),
              },
            ],
          },
          { path: '*', element: <NotFoundPage /> },
        ],
      },
    ],
  },
]);

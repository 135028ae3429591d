import { useQuery } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { Navigate, Outlet, useLocation, useParams } from 'react-router';
import { meQuery, sessionEndedUnexpectedly } from '../auth/session.js';
import { preferredWorkspaceId } from '../lib/last-workspace.js';
import { Sidebar } from './sidebar.js';

/** The signed-in frame: sidebar and the page. Signed-out visitors go to sign-in. */
export function AppShell() {
  const { data: me } = useQuery(meQuery);
  const location = useLocation();
  const { workspaceId } = useParams();
  useFocusPageOnNavigation(location.pathname);

  if (!me) {
    const here = location.pathname + location.search;
    const next = sessionEndedUnexpectedly() ? `?next=${encodeURIComponent(here)}` : '';
    return <Navigate to={`/sign-in${next}`} replace />;
  }

  const current =
    me.workspaces.find((workspace) => workspace.id === workspaceId) ??
    me.workspaces.find((workspace) => workspace.id === preferredWorkspaceId(me));

  return (
    <div className="shell">
      <a href="#main" className="skip-link">
        Skip to content
      </a>
      <Sidebar me={me} workspace={current} />
      <main id="main" className="shell-main" tabIndex={-1}>
        <div className="shell-content">
          <Outlet />
        </div>
      </main>
    </div>
  );
}

/** After a client-side navigation, start screen readers and keyboards at the new page's title. */
function useFocusPageOnNavigation(pathname: string) {
  const previous = useRef<string | null>(null);
  useEffect(() => {
    const isFirstPage = previous.current === null;
    previous.current = pathname;
    if (isFirstPage) return;
    const title = document.querySelector<HTMLElement>('[data-page-title]');
    title?.focus({ preventScroll: false });
  }, [pathname]);
}

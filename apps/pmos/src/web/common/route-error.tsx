import { Button } from '@pmos/ui';
import { isRouteErrorResponse, useRouteError } from 'react-router';
import { AuthLayout } from '../auth/auth-layout.js';
import { errorMessage } from '../lib/api.js';

/** The last line of defence: something broke while loading or drawing a page. */
export function RouteError() {
  const error = useRouteError();
  const message = isRouteErrorResponse(error)
    ? `${error.status} ${error.statusText}`
    : errorMessage(error);
  return (
    <AuthLayout title="Something went wrong" description={message}>
      <div className="button-row">
        <Button onClick={() => window.location.reload()}>Reload the page</Button>
        <Button asChild variant="secondary">
          <a href="/">Go to PMOS</a>
        </Button>
      </div>
    </AuthLayout>
  );
}

/** Shown while the first page's data loads. */
export function LoadingScreen() {
  return (
    <div className="loading-screen" role="status">
      <span className="pmos-spinner" aria-hidden="true" />
      <span className="visually-hidden">Loading PMOS…</span>
    </div>
  );
}

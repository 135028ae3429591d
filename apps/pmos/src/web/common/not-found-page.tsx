import { Button, EmptyState } from '@pmos/ui';
import { Link } from 'react-router';
import { PageHeader } from './page-header.js';

export function NotFoundPage() {
  return (
    <>
      <PageHeader title="Page not found" />
      <EmptyState
        title="There is nothing at this address"
        description="The link may be mistyped, or the page was moved."
        action={
          <Button asChild>
            <Link to="/">Go to my workspace</Link>
          </Button>
        }
      />
    </>
  );
}

import type { ReactNode } from 'react';
import { useDocumentTitle } from './use-document-title.js';

export function PageHeader({
  title,
  description,
  actions,
}: {
  title: string;
  description?: ReactNode;
  actions?: ReactNode;
}) {
  useDocumentTitle(title);
  return (
    <header className="page-header">
      <div>
        {/* Focused after each navigation so screen readers start at the new page. */}
        <h1 className="page-title" tabIndex={-1} data-page-title>
          {title}
        </h1>
        {description ? <p className="page-description">{description}</p> : null}
      </div>
      {actions ? <div className="page-actions">{actions}</div> : null}
    </header>
  );
}

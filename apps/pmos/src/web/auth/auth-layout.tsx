import type { ReactNode } from 'react';
import { PmosMark } from '../common/icons.js';
import { useDocumentTitle } from '../common/use-document-title.js';

/** The centered card of the public pages: sign in, sign up, invites. */
export function AuthLayout({
  title,
  description,
  children,
  footer,
}: {
  title: string;
  description?: ReactNode;
  children: ReactNode;
  footer?: ReactNode;
}) {
  useDocumentTitle(title);
  return (
    <div className="auth-page">
      <main className="auth-main">
        <div className="auth-brand">
          <PmosMark size={36} />
          <span className="auth-brand-name">PMOS</span>
        </div>
        <section className="auth-card" aria-labelledby="auth-title">
          <header className="auth-header">
            <h1 id="auth-title" className="auth-title">
              {title}
            </h1>
            {description ? <p className="auth-description">{description}</p> : null}
          </header>
          {children}
        </section>
        {footer ? <p className="auth-footer">{footer}</p> : null}
      </main>
    </div>
  );
}

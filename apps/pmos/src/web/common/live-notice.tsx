import { Alert } from '@pmos/ui';
import type { ReactNode } from 'react';

/** The outcome of the last action on a page: shown above its content, read out by screen readers. */
export type Notice = { tone: 'success' | 'danger'; text: ReactNode } | null;

/** The page's notice in a polite live region (the region stays so announcements are heard). */
export function LiveNotice({ notice }: { notice: Notice }) {
  return (
    <div aria-live="polite">{notice ? <Alert tone={notice.tone}>{notice.text}</Alert> : null}</div>
  );
}

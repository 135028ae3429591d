import type { ReactNode } from 'react';

/** A markdown note of a step (`**bold**`, `` `code` `` and plain text; nothing else is read). */
export function MarkdownNote({
  text,
  variant = 'info',
}: {
  text: string;
  variant?: 'info' | 'warning' | 'tip' | undefined;
}) {
  return (
    <div className={`studio-note studio-note--${variant}`}>
      {text.split(/\n{2,}/).map((paragraph, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: paragraphs of a fixed text
        <p key={i}>{inline(paragraph)}</p>
      ))}
    </div>
  );
}

function inline(text: string): ReactNode[] {
  return text.split(/(\*\*[^*]+\*\*|`[^`]+`)/).map((part, i) => {
    if (part.startsWith('**') && part.endsWith('**'))
      // biome-ignore lint/suspicious/noArrayIndexKey: parts of a fixed text
      return <strong key={i}>{part.slice(2, -2)}</strong>;
    if (part.startsWith('`') && part.endsWith('`'))
      // biome-ignore lint/suspicious/noArrayIndexKey: parts of a fixed text
      return <code key={i}>{part.slice(1, -1)}</code>;
    return part;
  });
}

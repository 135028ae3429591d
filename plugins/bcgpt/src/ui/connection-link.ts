/** The public BCGPT connect page: where a person gets a key and links Basecamp. */
export const PUBLIC_CONNECT_URL = 'https://bcgpt.wickedlab.io/connect';

/**
 * The link a health message names ("… Link Basecamp at https://…/connect, then …"), so
 * the panel can show it as a button; the server never puts the API key in it.
 */
export function linkInMessage(message: string | undefined | null): string | null {
  const match = message ? /https?:\/\/[^\s,;)"']+/.exec(message) : null;
  if (!match) return null;
  return match[0].replace(/[.]+$/, '');
}

export type ConnectionView =
  | { kind: 'linked'; text: string }
  | { kind: 'needs_link'; text: string; link: string }
  | { kind: 'failing'; text: string; link: string | null }
  | { kind: 'untested'; text: string };

/** What the panel shows for a connection's last health check. */
export function viewOfCheck(check: { ok: boolean; message: string } | null): ConnectionView {
  if (!check) return { kind: 'untested', text: 'Not checked yet: press “Test again”.' };
  if (check.ok) return { kind: 'linked', text: check.message };
  const link = linkInMessage(check.message);
  if (link && /not linked|no Basecamp account|recognise/.test(check.message)) {
    return { kind: 'needs_link', text: check.message, link };
  }
  return { kind: 'failing', text: check.message, link };
}

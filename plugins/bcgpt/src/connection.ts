import { auth, prop } from '@pmos/sdk/server';

/** The public BCGPT deployment (reference: bcgpt-basecamp.md §1). */
export const DEFAULT_BCGPT_URL = 'https://bcgpt.wickedlab.io';

/**
 * The connection: a BCGPT address and the person's BCGPT API key. The address is part of
 * the connection so a workspace can use a self-hosted BCGPT; that is why the manifest
 * declares `"*"` next to bcgpt.wickedlab.io: a user-supplied host cannot be named in
 * advance, and `"*"` lets `ctx.http` reach public hosts only (private ones need the
 * operator's PMOS_HTTP_PRIVATE_HOSTS).
 */
export const bcgptAuth = auth.custom({
  description:
    'Open the BCGPT connect page (https://bcgpt.wickedlab.io/connect), sign in with Basecamp and copy your BCGPT API key.',
  props: {
    // Not secret: PMOS then leaves it in health messages (the connect link keeps its address).
    // No defaultValue either: empty means the public BCGPT.
    baseUrl: prop.shortText({
      displayName: 'BCGPT address',
      description: `Leave empty for the public BCGPT (${DEFAULT_BCGPT_URL}); set it for a self-hosted one.`,
      required: false,
    }),
    apiKey: prop.shortText({
      secret: true,
      displayName: 'BCGPT API key',
      description: 'Your personal key from the BCGPT connect page. It is stored encrypted.',
      required: true,
    }),
  },
});

export interface BcgptConnection {
  baseUrl?: string;
  apiKey: string;
}

/** "https://host/x/" → "https://host/x"; empty → the public BCGPT. */
export function normalizeBaseUrl(value: string | undefined): string {
  const raw = (value ?? '').trim() || DEFAULT_BCGPT_URL;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new TypeError(`The BCGPT address must be a URL like ${DEFAULT_BCGPT_URL}.`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new TypeError(`The BCGPT address must start with https:// (got ${url.protocol}).`);
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

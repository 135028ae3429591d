import {
  type AuthDefinition,
  InvalidPropsError,
  type OAuth2Value,
  parseProps,
} from '@pmos/sdk/server';
import { PluginError } from './errors.js';

/**
 * A connection's value, checked against its auth kind and turned into the text the vault
 * seals — and back into what `ctx.auth` receives. Also the mask the API may show.
 */
export function encodeConnectionValue(
  auth: AuthDefinition,
  value: unknown,
): { plaintext: string | null; mask: string } {
  const invalid = (message: string, details?: Record<string, unknown>) =>
    new PluginError('invalid_connection_value', { message, details });
  switch (auth.kind) {
    case 'none':
      return { plaintext: null, mask: 'No credentials needed' };
    case 'secret_text': {
      if (typeof value !== 'string' || value.trim() === '') {
        throw invalid(`Enter the ${auth.displayName}.`);
      }
      if (value.length > 65_536) throw invalid(`The ${auth.displayName} is too long.`);
      const trimmed = value.trim();
      return {
        plaintext: trimmed,
        mask: trimmed.length >= 12 ? `••••${trimmed.slice(-4)}` : '••••',
      };
    }
    case 'basic': {
      const v = (value ?? {}) as { username?: unknown; password?: unknown };
      if (typeof v.username !== 'string' || v.username.trim() === '') {
        throw invalid(`Enter the ${auth.username.displayName}.`);
      }
      if (typeof v.password !== 'string' || v.password === '') {
        throw invalid(`Enter the ${auth.password.displayName}.`);
      }
      return {
        plaintext: JSON.stringify({ username: v.username.trim(), password: v.password }),
        mask: `${v.username.trim()} · ••••`,
      };
    }
    case 'custom': {
      try {
        return { plaintext: JSON.stringify(parseProps(auth.props, value ?? {})), mask: '••••' };
      } catch (error) {
        if (error instanceof InvalidPropsError) {
          throw invalid(error.message, { problems: error.problems });
        }
        throw error;
      }
    }
    case 'oauth2':
      throw invalid(
        'This connector signs in with OAuth2: connect it with “Sign in” (POST …/connections/oauth2/start), not with a pasted value.',
      );
  }
}

/** What the vault holds for an OAuth2 connection: the tokens plus the client to refresh them. */
export interface StoredOAuth2Value extends OAuth2Value {
  client: { id: string; secret?: string };
}

export function decodeConnectionValue(auth: AuthDefinition, plaintext: string | null): unknown {
  if (auth.kind === 'none' || plaintext === null) return undefined;
  if (auth.kind === 'secret_text') return plaintext;
  return JSON.parse(plaintext);
}

const publicFields = Symbol.for('pmos.auth.publicFields');
const openKinds = new Set(['short_text', 'long_text', 'static_dropdown', 'number', 'checkbox']);

/**
 * What a plugin's `ctx.auth` receives: OAuth2 values without the client credentials; custom
 * values marked (invisibly) with the fields that are not secret, when the auth says which are.
 */
export function authForPlugin(auth: AuthDefinition, value: unknown): unknown {
  if (!value || typeof value !== 'object') return value;
  if (auth.kind === 'oauth2') {
    const { client: _client, ...tokens } = value as StoredOAuth2Value;
    return tokens;
  }
  if (auth.kind !== 'custom') return value;
  const props = Object.entries(auth.props) as [string, { kind: string; secret?: boolean }][];
  // Without a field marked secret, every field counts as one (the safe reading); with one,
  // the plain text and choice fields are not — JSON and objects (headers …) always are.
  if (!props.some(([, p]) => p.secret === true)) return value;
  const open = props.filter(([, p]) => p.secret !== true && openKinds.has(p.kind));
  const marked = { ...(value as Record<string, unknown>) };
  Object.defineProperty(marked, publicFields, {
    value: open.map(([name]) => name),
    enumerable: false,
  });
  return marked;
}

/** The fields of a connection value that are not secret (see authForPlugin). */
export function publicFieldsOf(value: unknown): ReadonlySet<string> {
  const fields =
    value && typeof value === 'object'
      ? (value as Record<symbol, unknown>)[publicFields]
      : undefined;
  return new Set(Array.isArray(fields) ? (fields as string[]) : []);
}

import { type AuthDefinition, auth, type OAuth2Value, type Props } from '@pmos/sdk/server';
import { ActivepiecesError } from '../errors.js';
import type { ApAuth } from '../pieces/piece-shape.js';
import { type PieceFunctionCaller, toSdkProps } from './props.js';

/** The piece auth PMOS asks a connection for, and the Activepieces auth it stands for. */
export interface MappedAuth {
  definition: AuthDefinition;
  /** The Activepieces auth behind it (undefined for pieces without auth). */
  source?: ApAuth;
  /** Other kinds the piece also accepts, not offered by PMOS (multi-auth pieces). */
  notOffered: string[];
}

const supportedKinds = ['SECRET_TEXT', 'BASIC_AUTH', 'CUSTOM_AUTH', 'OAUTH2'];

/** No-op caller: auth props are plain fields (text, secret, static dropdowns). */
const noFunctions: PieceFunctionCaller = () => {
  throw new ActivepiecesError('piece_unreadable', 'A piece auth field cannot load options.');
};

/**
 * A piece's auth as an SDK auth kind. A piece may accept several (an array): PMOS connections
 * have one kind, so the first supported one is offered (Activepieces too falls back to the
 * first) and the others are named in `notOffered`. OIDC has no PMOS kind yet.
 */
export function toSdkAuth(pieceAuth: ApAuth | ApAuth[] | undefined, where: string): MappedAuth {
  if (pieceAuth === undefined || pieceAuth === null)
    return { definition: auth.none(), notOffered: [] };
  const all = Array.isArray(pieceAuth) ? pieceAuth : [pieceAuth];
  const chosen = all.find((a) => supportedKinds.includes(a.type));
  if (!chosen) {
    throw new ActivepiecesError(
      'piece_feature_unsupported',
      `${where} signs in with ${all.map((a) => a.type).join(' or ')}, which PMOS connections do not offer yet.`,
    );
  }
  const notOffered = all.filter((a) => a !== chosen).map((a) => a.type);
  return { definition: definitionOf(chosen, where), source: chosen, notOffered };
}

function definitionOf(a: ApAuth, where: string): AuthDefinition {
  const displayName = a.displayName || 'Connection';
  switch (a.type) {
    case 'SECRET_TEXT':
      return auth.secretText({
        displayName,
        ...(a.description ? { description: a.description } : {}),
      });
    case 'BASIC_AUTH':
      return auth.basic({
        username: {
          displayName: a.username?.displayName ?? 'Username',
          ...(a.username?.description ? { description: a.username.description } : {}),
        },
        password: {
          displayName: a.password?.displayName ?? 'Password',
          ...(a.password?.description ? { description: a.password.description } : {}),
        },
      });
    case 'CUSTOM_AUTH':
      return auth.custom({
        ...(a.description ? { description: a.description } : {}),
        props: toSdkProps(
          (a.props ?? {}) as Record<string, ApAuth>,
          `${where} › connection`,
          noFunctions,
        ),
      });
    default: {
      if (!a.authUrl || !a.tokenUrl) {
        throw new ActivepiecesError(
          'piece_unreadable',
          `${where} has an OAuth2 auth without authUrl or tokenUrl.`,
        );
      }
      const props: Props | undefined = a.props
        ? toSdkProps(a.props as Record<string, ApAuth>, `${where} › connection`, noFunctions)
        : undefined;
      return auth.oauth2({
        authUrl: a.authUrl,
        tokenUrl: a.tokenUrl,
        scopes: [...(a.scope ?? [])],
        grantType:
          a.grantType === 'client_credentials' ? 'client_credentials' : 'authorization_code',
        // Activepieces' defaults: no PKCE, client credentials in the body.
        pkce: a.pkce === true,
        authorizationMethod: a.authorizationMethod === 'HEADER' ? 'header' : 'body',
        ...(props ? { props } : {}),
      });
    }
  }
}

/**
 * The auth value a piece reads, from the PMOS connection value: Activepieces' connection
 * value shapes, and for pieces of context V0 (no context info) the older plain shapes —
 * the secret text itself, a custom auth's props — as the Activepieces engine hands them.
 */
export function toPieceAuthValue(
  value: unknown,
  source: ApAuth | undefined,
  contextVersion: string | undefined,
): unknown {
  if (!source) return undefined;
  const legacy = contextVersion === undefined;
  switch (source.type) {
    case 'SECRET_TEXT':
      return legacy ? value : { type: 'SECRET_TEXT', secret_text: value };
    case 'BASIC_AUTH': {
      const v = (value ?? {}) as { username?: string; password?: string };
      return { type: 'BASIC_AUTH', username: v.username, password: v.password };
    }
    case 'CUSTOM_AUTH':
      return legacy ? value : { type: 'CUSTOM_AUTH', props: value };
    case 'OAUTH2': {
      const v = value as OAuth2Value | undefined;
      if (!v) return undefined;
      const now = Math.floor(Date.now() / 1000);
      return {
        type: 'OAUTH2',
        access_token: v.accessToken,
        token_type: v.tokenType,
        ...(v.refreshToken ? { refresh_token: v.refreshToken } : {}),
        ...(v.expiresAt
          ? { expires_in: Math.max(0, v.expiresAt - now), claimed_at: now }
          : { claimed_at: now }),
        ...(v.scope ? { scope: v.scope } : {}),
        props: v.props ?? {},
        data: {},
      };
    }
    default:
      return value;
  }
}

import type { Props, PropsValue } from './props.js';

/**
 * How a connector authenticates. The kernel stores the connection value as a workspace
 * secret and hands it decrypted to `ctx.auth`, typed by the kind below.
 */
export interface NoAuth {
  kind: 'none';
}
export interface SecretTextAuth {
  kind: 'secret_text';
  displayName: string;
  description?: string;
}
export interface BasicAuth {
  kind: 'basic';
  username: { displayName: string; description?: string };
  password: { displayName: string; description?: string };
}
export interface CustomAuth<P extends Props = Props> {
  kind: 'custom';
  description?: string;
  props: P;
}
export interface OAuth2Auth<P extends Props = Props> {
  kind: 'oauth2';
  authUrl: string;
  tokenUrl: string;
  scopes: string[];
  grantType: 'authorization_code' | 'client_credentials';
  /** PKCE (S256) for the authorization code grant; on unless the provider refuses it. */
  pkce: boolean;
  /** Where the client credentials go when PMOS asks for tokens. */
  authorizationMethod: 'header' | 'body';
  /** Extra fields the person fills in (e.g. a subdomain used in the URLs). */
  props?: P;
}

export type AuthDefinition = NoAuth | SecretTextAuth | BasicAuth | CustomAuth | OAuth2Auth;

export interface OAuth2Value<Extra = Record<string, unknown>> {
  accessToken: string;
  refreshToken?: string;
  tokenType: string;
  /** Seconds since the epoch; the kernel refreshes before it passes. */
  expiresAt?: number;
  scope?: string;
  props: Extra;
}

/** The decrypted connection value `ctx.auth` holds for an auth definition. */
export type AuthValue<A> = A extends NoAuth
  ? undefined
  : A extends SecretTextAuth
    ? string
    : A extends BasicAuth
      ? { username: string; password: string }
      : A extends CustomAuth<infer P>
        ? PropsValue<P>
        : A extends OAuth2Auth<infer P>
          ? OAuth2Value<PropsValue<P>>
          : unknown;

export const auth = {
  none: (): NoAuth => ({ kind: 'none' }),
  secretText: (o: { displayName: string; description?: string }): SecretTextAuth => ({
    kind: 'secret_text',
    ...o,
  }),
  basic: (o: Omit<BasicAuth, 'kind'>): BasicAuth => ({ kind: 'basic', ...o }),
  custom: <const P extends Props>(o: { description?: string; props: P }): CustomAuth<P> => ({
    kind: 'custom',
    ...o,
  }),
  oauth2: <const P extends Props = Record<never, never>>(o: {
    authUrl: string;
    tokenUrl: string;
    scopes: string[];
    grantType?: OAuth2Auth['grantType'];
    pkce?: boolean;
    authorizationMethod?: OAuth2Auth['authorizationMethod'];
    props?: P;
  }): OAuth2Auth<P> => ({
    kind: 'oauth2',
    authUrl: o.authUrl,
    tokenUrl: o.tokenUrl,
    scopes: o.scopes,
    grantType: o.grantType ?? 'authorization_code',
    pkce: o.pkce ?? true,
    authorizationMethod: o.authorizationMethod ?? 'header',
    props: o.props,
  }),
};

import { Alert, Button, DialogActions, FormField, Input } from '@pmos/ui';
import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useEffect, useState } from 'react';
import { useSearchParams } from 'react-router';
import { startOAuth2BodySchema } from '../../api/plugin-schemas.js';
import type { AuthDescription, StartedOAuth2, StartOAuth2Body } from '../api-types.js';
import { CopyField } from '../common/copy-field.js';
import { useFieldErrors } from '../common/form.js';
import { SecretInput } from '../common/secret-input.js';
import { api, errorMessage } from '../lib/api.js';
import { type FieldErrors, validate } from '../lib/validate.js';
import {
  ConnectionNameField,
  CredentialFields,
  credentialErrorsOf,
  readCredentials,
} from './credential-fields.js';

/**
 * OAuth2 connections: the person enters the OAuth app's client, PMOS starts the sign-in and the
 * browser goes to the provider; the provider sends it back to `/api/oauth2/callback`, which
 * creates and tests the connection and opens Integrations with `?connection=<id>` or
 * `?oauth2_error=<message>`.
 */

/** What a sign-in was started with, kept in this tab so a failed one can be tried again. */
export interface SignInDraft {
  workspaceId: string;
  pluginId: string;
  connectorId: string;
  displayName: string;
  /** Not a secret; the client secret is never kept. */
  clientId: string;
}

const draftKey = 'pmos.oauth2.signIn';

function rememberSignIn(draft: SignInDraft): void {
  try {
    sessionStorage.setItem(draftKey, JSON.stringify(draft));
  } catch {
    // No storage (a locked-down browser): trying again then starts from an empty form.
  }
}

function readSignIn(workspaceId: string): SignInDraft | null {
  try {
    const draft = JSON.parse(sessionStorage.getItem(draftKey) ?? 'null') as SignInDraft | null;
    return draft?.workspaceId === workspaceId ? draft : null;
  } catch {
    return null;
  }
}

function forgetSignIn(): void {
  try {
    sessionStorage.removeItem(draftKey);
  } catch {
    // Nothing was kept.
  }
}

/** How the last sign-in came back: the new connection, or why there is none. */
export type SignInOutcome =
  | { connectionId: string }
  | {
      error: string;
      /** The sign-in to try again, when this tab started it. */
      draft: SignInDraft | null;
    };

/**
 * Reads the sign-in's outcome from the page address once, then takes it out of the address
 * (replacing the history entry), so a reload or a bookmark does not show it again.
 */
export function useSignInOutcome(workspaceId: string): SignInOutcome | null {
  const [params, setParams] = useSearchParams();
  const [outcome] = useState((): SignInOutcome | null => {
    const error = params.get('oauth2_error');
    if (error !== null) return { error, draft: readSignIn(workspaceId) };
    const connectionId = params.get('connection');
    return connectionId === null ? null : { connectionId };
  });
  useEffect(() => {
    if (!params.has('connection') && !params.has('oauth2_error')) return;
    if (params.has('connection')) forgetSignIn();
    const rest = new URLSearchParams(params);
    // The server also names the plugin and connector the sign-in was for.
    for (const key of ['connection', 'oauth2_error', 'plugin', 'connector']) rest.delete(key);
    setParams(rest, { replace: true });
  }, [params, setParams]);
  return outcome;
}

/** Where the provider sends the browser back: this PMOS, as this browser reaches it. */
const callbackUri = () => `${window.location.origin}/api/oauth2/callback`;

const clientSchema = startOAuth2BodySchema.pick({
  displayName: true,
  clientId: true,
  clientSecret: true,
});

interface SignInConnector {
  pluginId: string;
  id: string;
  displayName: string;
  auth: AuthDescription;
}

/**
 * The sign-in dialog's form: name, the provider's own fields, the OAuth app's client, the
 * redirect URI to register and the scopes asked for. Submitting starts the sign-in and leaves
 * for the provider's page.
 */
export function SignInForm({
  workspaceId,
  connector,
  takenNames,
  defaults,
  onCancel,
}: {
  workspaceId: string;
  connector: SignInConnector;
  /** Names this connector's connections already have (checked only when the sign-in ends). */
  takenNames: readonly string[];
  defaults?: { displayName?: string; clientId?: string } | undefined;
  onCancel: () => void;
}) {
  const { auth, displayName: name } = connector;
  const { fields, shown, setFields, form, onChange } = useFieldErrors();
  const [redirectUri, setRedirectUri] = useState(callbackUri);
  // Started, but the server names another redirect URI than the one shown: say so first.
  const [started, setStarted] = useState<StartedOAuth2 | null>(null);
  // The provider's page is opening: stay busy until the browser has left.
  const [leaving, setLeaving] = useState(false);
  const leave = (url: string) => {
    setLeaving(true);
    window.location.assign(url);
  };
  const start = useMutation({
    mutationFn: (body: StartOAuth2Body) =>
      api<StartedOAuth2>('POST', `/api/workspaces/${workspaceId}/connections/oauth2/start`, body),
    onSuccess: (answer, body) => {
      rememberSignIn({
        workspaceId,
        pluginId: body.pluginId,
        connectorId: body.connectorId,
        displayName: body.displayName,
        clientId: body.clientId,
      });
      if (answer.redirectUri === redirectUri) return leave(answer.authorizationUrl);
      setRedirectUri(answer.redirectUri);
      setStarted(answer);
    },
    onError: (error) => setFields(credentialErrorsOf(error, auth)),
  });

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (started) return leave(started.authorizationUrl);
    const data = new FormData(event.currentTarget);
    const text = (field: string) => String(data.get(field) ?? '');
    const errors: FieldErrors = {};
    const client = validate(clientSchema, {
      displayName: text('displayName'),
      clientId: text('clientId'),
      clientSecret: text('clientSecret') || undefined,
    });
    if (!client.ok) Object.assign(errors, client.fields);
    else if (takenNames.includes(client.data.displayName)) {
      errors.displayName = 'A connection of this connector already has this name.';
    }
    const props = readCredentials(auth, data);
    if (!props.ok) Object.assign(errors, props.fields);
    if (!client.ok || !props.ok || Object.keys(errors).length > 0) return setFields(errors);
    setFields({});
    start.mutate({
      pluginId: connector.pluginId,
      connectorId: connector.id,
      ...client.data,
      props: props.value as Record<string, unknown>,
    });
  };

  const busy = start.isPending || leaving;
  const scopes = auth.scopes ?? [];
  return (
    <form ref={form} className="stack" onSubmit={submit} onChange={onChange} noValidate>
      {start.isError && Object.keys(fields).length === 0 ? (
        <Alert tone="danger">{errorMessage(start.error)}</Alert>
      ) : null}
      <ConnectionNameField
        error={shown.displayName}
        defaultValue={defaults?.displayName ?? `${name} connection`}
        autoFocus
      />
      <CredentialFields auth={auth} errors={shown} connectorName={name} />
      <FormField
        label="Client ID"
        hint={`Of the OAuth app you registered with ${name}.`}
        error={shown.clientId}
        required
      >
        <Input
          name="clientId"
          autoComplete="off"
          spellCheck={false}
          autoCapitalize="off"
          defaultValue={defaults?.clientId}
        />
      </FormField>
      <FormField
        label="Client secret (optional for public clients)"
        hint="PMOS keeps it encrypted, to renew the sign-in."
        error={shown.clientSecret}
      >
        <SecretInput name="clientSecret" />
      </FormField>
      <FormField
        label="Redirect URI to register with the provider"
        hint={`Add it to the OAuth app at ${name}: after you sign in, ${name} sends you back to it.`}
      >
        <CopyField value={redirectUri} />
      </FormField>
      {started ? (
        <Alert tone="info" title="Register this redirect URI instead">
          This PMOS server names the redirect URI above, not the address this page comes from.
          Register it with the OAuth app at {name}, then continue.
        </Alert>
      ) : null}
      <div className="oauth2-scopes">
        <p className="oauth2-scopes-label">Scopes PMOS asks for</p>
        {scopes.length > 0 ? (
          <ul className="oauth2-scope-list">
            {scopes.map((scope) => (
              <li key={scope}>
                <code>{scope}</code>
              </li>
            ))}
          </ul>
        ) : (
          <p className="muted small">None in particular: {name} grants its usual access.</p>
        )}
      </div>
      {busy ? (
        <p className="muted small" role="status">
          Opening the {name} sign-in page…
        </p>
      ) : null}
      <DialogActions>
        <Button variant="secondary" onClick={onCancel} disabled={busy}>
          Cancel
        </Button>
        <Button type="submit" loading={busy}>
          {started ? `Continue to ${name}` : `Sign in with ${name}`}
        </Button>
      </DialogActions>
    </form>
  );
}

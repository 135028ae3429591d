import { FormField, Input, Select } from '@pmos/ui';
import type { AuthDescription } from '../api-types.js';
import { SecretInput } from '../common/secret-input.js';
import { isApiError } from '../lib/api.js';
import type { FieldErrors } from '../lib/validate.js';

/** A prop of a custom auth, as the catalog describes it (functions left out). */
interface PropDescription {
  kind: string;
  displayName: string;
  required: boolean;
  description?: string;
  defaultValue?: unknown;
  options?: { options: { label: string; value: unknown }[]; placeholder?: string };
  text?: string;
  /** A credential: typed into a masked field. */
  secret?: boolean;
}

const propField = (name: string) => `prop:${name}`;

/** A field's name inside a sentence: "Personal access token" → "personal access token". */
export function inSentence(name: string): string {
  return /^[A-Z][a-z]/.test(name) ? name[0]?.toLowerCase() + name.slice(1) : name;
}

function propsOf(auth: AuthDescription): [string, PropDescription][] {
  return Object.entries(auth.props ?? {}) as unknown as [string, PropDescription][];
}

/** Whether connections of this auth kind carry credentials that can be replaced (not OAuth2's). */
export function hasCredentials(auth: AuthDescription): boolean {
  return auth.kind !== 'none' && auth.kind !== 'oauth2';
}

/** A new connection's name, the `displayName` field of the create and sign-in requests. */
export function ConnectionNameField({
  error,
  defaultValue,
  autoFocus,
}: {
  error: string | undefined;
  defaultValue: string;
  autoFocus: boolean;
}) {
  return (
    <FormField label="Name" error={error} hint="How automations and chat refer to this connection.">
      <Input
        name="displayName"
        autoComplete="off"
        defaultValue={defaultValue}
        autoFocus={autoFocus}
      />
    </FormField>
  );
}

/** The fields to fill in for an auth kind, wired to `errors` by field name. */
export function CredentialFields({
  auth,
  errors,
  connectorName,
  autoFocus = false,
}: {
  auth: AuthDescription;
  errors: FieldErrors;
  connectorName: string;
  autoFocus?: boolean;
}) {
  switch (auth.kind) {
    case 'none':
      return (
        <p className="muted">{connectorName} needs no credentials: PMOS connects to it as it is.</p>
      );
    case 'secret_text':
      return (
        <FormField
          label={auth.displayName ?? 'Secret'}
          hint={auth.description}
          error={errors.value}
        >
          <SecretInput
            name="value"
            placeholder={`Paste the ${inSentence(auth.displayName ?? 'secret')}`}
            autoFocus={autoFocus}
          />
        </FormField>
      );
    case 'basic':
      return (
        <>
          <FormField
            label={auth.username?.displayName ?? 'Username'}
            hint={auth.username?.description}
            error={errors.username}
          >
            <Input
              name="username"
              autoComplete="off"
              spellCheck={false}
              autoCapitalize="off"
              autoFocus={autoFocus}
            />
          </FormField>
          <FormField
            label={auth.password?.displayName ?? 'Password'}
            hint={auth.password?.description}
            error={errors.password}
          >
            <SecretInput name="password" />
          </FormField>
        </>
      );
    // OAuth2: the provider's extra fields (a region, a subdomain …); the sign-in form adds the rest.
    case 'oauth2':
    case 'custom':
      return (
        <>
          {auth.description ? <p className="muted">{auth.description}</p> : null}
          {propsOf(auth).map(([name, prop], index) => (
            <PropInput
              key={name}
              name={name}
              prop={prop}
              error={errors[propField(name)]}
              autoFocus={autoFocus && index === 0}
            />
          ))}
        </>
      );
  }
}

function PropInput({
  name,
  prop,
  error,
  autoFocus,
}: {
  name: string;
  prop: PropDescription;
  error: string | undefined;
  autoFocus: boolean;
}) {
  const field = propField(name);
  const hint = prop.description;
  const initial = prop.defaultValue;
  switch (prop.kind) {
    case 'markdown':
      return prop.text ? <p className="muted small">{prop.text}</p> : null;
    case 'short_text':
      return (
        <FormField label={prop.displayName} hint={hint} error={error} required={prop.required}>
          {prop.secret === true ? (
            // A credential: masked while typed, with a button to show it.
            <SecretInput name={field} autoFocus={autoFocus} />
          ) : (
            <Input
              name={field}
              autoComplete="off"
              defaultValue={typeof initial === 'string' ? initial : undefined}
              autoFocus={autoFocus}
            />
          )}
        </FormField>
      );
    case 'long_text':
      return (
        <FormField label={prop.displayName} hint={hint} error={error} required={prop.required}>
          <textarea
            name={field}
            className="pmos-input textarea"
            rows={4}
            defaultValue={typeof initial === 'string' ? initial : undefined}
          />
        </FormField>
      );
    case 'number':
      return (
        <FormField label={prop.displayName} hint={hint} error={error} required={prop.required}>
          <Input
            name={field}
            type="number"
            inputMode="decimal"
            defaultValue={typeof initial === 'number' ? initial : undefined}
            autoFocus={autoFocus}
          />
        </FormField>
      );
    case 'checkbox':
      return (
        <div className="checkbox-field">
          <label className="checkbox-label">
            <input type="checkbox" name={field} defaultChecked={initial === true} />
            <span>{prop.displayName}</span>
          </label>
          {hint ? <p className="muted small">{hint}</p> : null}
          {error ? <p className="pmos-field__error">{error}</p> : null}
        </div>
      );
    case 'static_dropdown': {
      const options = prop.options?.options ?? [];
      const selected = options.findIndex((option) => Object.is(option.value, initial));
      return (
        <FormField label={prop.displayName} hint={hint} error={error} required={prop.required}>
          <Select
            name={field}
            defaultValue={selected >= 0 ? String(selected) : ''}
            autoFocus={autoFocus}
          >
            <option value="">{prop.options?.placeholder ?? 'Choose…'}</option>
            {options.map((option, index) => (
              <option key={`${option.label}|${String(option.value)}`} value={String(index)}>
                {option.label}
              </option>
            ))}
          </Select>
        </FormField>
      );
    }
    default:
      return (
        <FormField
          label={prop.displayName}
          hint={hint ?? 'Enter the value as JSON.'}
          error={error}
          required={prop.required}
        >
          <textarea
            name={field}
            className="pmos-input textarea mono"
            rows={4}
            spellCheck={false}
            defaultValue={initial === undefined ? undefined : JSON.stringify(initial, null, 2)}
          />
        </FormField>
      );
  }
}

/**
 * The connection value the API expects for the auth kind, read from the form: a string for
 * secret_text, {username, password} for basic, the props' values for custom (and for OAuth2,
 * whose sign-in takes them as `props`), nothing for none.
 * Missing and malformed fields come back as messages by field name.
 */
export function readCredentials(
  auth: AuthDescription,
  form: FormData,
): { ok: true; value: unknown } | { ok: false; fields: FieldErrors } {
  const text = (name: string) => {
    const value = form.get(name);
    return typeof value === 'string' ? value : '';
  };
  const fields: FieldErrors = {};
  switch (auth.kind) {
    case 'none':
      return { ok: true, value: undefined };
    case 'secret_text': {
      const value = text('value').trim();
      if (!value) fields.value = `Enter the ${inSentence(auth.displayName ?? 'secret')}.`;
      return value ? { ok: true, value } : { ok: false, fields };
    }
    case 'basic': {
      const username = text('username').trim();
      const password = text('password');
      if (!username) {
        fields.username = `Enter the ${inSentence(auth.username?.displayName ?? 'username')}.`;
      }
      if (!password) {
        fields.password = `Enter the ${inSentence(auth.password?.displayName ?? 'password')}.`;
      }
      if (Object.keys(fields).length > 0) return { ok: false, fields };
      return { ok: true, value: { username, password } };
    }
    case 'oauth2':
    case 'custom': {
      const value: Record<string, unknown> = {};
      for (const [name, prop] of propsOf(auth)) {
        const field = propField(name);
        const raw = text(field);
        let parsed: unknown;
        switch (prop.kind) {
          case 'markdown':
            continue;
          case 'checkbox':
            parsed = form.has(field);
            break;
          case 'short_text':
          case 'long_text':
            parsed = raw.trim() === '' ? undefined : raw;
            break;
          case 'number':
            if (raw.trim() !== '') {
              parsed = Number(raw);
              if (!Number.isFinite(parsed)) fields[field] = 'Enter a number.';
            }
            break;
          case 'static_dropdown':
            parsed = raw === '' ? undefined : prop.options?.options[Number(raw)]?.value;
            break;
          default:
            if (raw.trim() !== '') {
              try {
                parsed = JSON.parse(raw);
              } catch {
                fields[field] = 'Enter valid JSON, e.g. {"key": "value"} or "text".';
              }
            }
        }
        if (fields[field]) continue;
        if (parsed === undefined) {
          if (prop.required) {
            fields[field] =
              prop.kind === 'static_dropdown'
                ? `Choose the ${inSentence(prop.displayName)}.`
                : `Enter the ${inSentence(prop.displayName)}.`;
          }
          continue;
        }
        value[name] = parsed;
      }
      if (Object.keys(fields).length > 0) return { ok: false, fields };
      return { ok: true, value };
    }
  }
}

/** The server's objections, by field where it names one; the rest shows above the form. */
export function credentialErrorsOf(error: unknown, auth: AuthDescription): FieldErrors {
  if (!isApiError(error)) return {};
  if (error.code === 'connection_name_taken') return { displayName: error.message };
  if (error.code === 'invalid_connection_value') {
    if (auth.kind === 'secret_text') return { value: error.message };
    const problems = error.details?.problems;
    if ((auth.kind === 'custom' || auth.kind === 'oauth2') && Array.isArray(problems)) {
      const fields: FieldErrors = {};
      for (const problem of problems as { prop?: unknown; message?: unknown }[]) {
        const name = String(problem.prop ?? '').split('.')[0] ?? '';
        if (auth.props?.[name] && typeof problem.message === 'string') {
          fields[propField(name)] ??= problem.message;
        }
      }
      return fields;
    }
    return {};
  }
  // The sign-in's request names a prop's field "props.<name>".
  return Object.fromEntries(
    Object.entries(error.fields).map(([field, message]) => [
      field.startsWith('props.') ? propField(field.slice(6).split('.')[0] ?? '') : field,
      message,
    ]),
  );
}

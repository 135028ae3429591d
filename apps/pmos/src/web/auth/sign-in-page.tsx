import { Alert, Button, FormField, Input } from '@pmos/ui';
import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { type Me, signInBodySchema } from '../../api/schemas.js';
import { formValues, useFocusFirstInvalid } from '../common/form.js';
import { api, errorMessage, isApiError } from '../lib/api.js';
import { type FieldErrors, validate } from '../lib/validate.js';
import { AuthLayout } from './auth-layout.js';
import { rememberSession, safeNext } from './session.js';

export function SignInPage() {
  const [params] = useSearchParams();
  const next = safeNext(params.get('next'));
  const navigate = useNavigate();
  const [fields, setFields] = useState<FieldErrors>({});
  const form = useFocusFirstInvalid(fields);
  const signIn = useMutation({
    mutationFn: (body: { email: string; password: string }) =>
      api<Me>('POST', '/api/auth/sign-in', body),
    onSuccess: (me) => {
      rememberSession(me);
      navigate(next, { replace: true });
    },
    onError: (error) => setFields(isApiError(error) ? error.fields : {}),
  });

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const checked = validate(signInBodySchema, formValues(event));
    if (!checked.ok) {
      setFields(checked.fields);
      return;
    }
    setFields({});
    signIn.mutate(checked.data);
  };

  const formError =
    signIn.isError && Object.keys(fields).length === 0 ? errorMessage(signIn.error) : null;
  const query = params.toString();

  return (
    <AuthLayout
      title="Sign in to PMOS"
      description="Welcome back. Sign in to your workspace."
      footer={
        <>
          New here? <Link to={`/sign-up${query ? `?${query}` : ''}`}>Create an account</Link>
        </>
      }
    >
      <form ref={form} className="stack" onSubmit={submit} noValidate>
        {formError ? <Alert tone="danger">{formError}</Alert> : null}
        <FormField label="Email" error={fields.email}>
          <Input
            name="email"
            type="email"
            autoComplete="username"
            autoFocus
            defaultValue={params.get('email') ?? ''}
            placeholder="you@company.com"
          />
        </FormField>
        <FormField label="Password" error={fields.password}>
          <Input name="password" type="password" autoComplete="current-password" />
        </FormField>
        <Button type="submit" loading={signIn.isPending} className="auth-submit">
          {signIn.isPending ? 'Signing in…' : 'Sign in'}
        </Button>
      </form>
    </AuthLayout>
  );
}

import { Alert, Button, FormField, Input } from '@pmos/ui';
import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { type Me, signUpBodySchema } from '../../api/schemas.js';
import { formValues, useFocusFirstInvalid } from '../common/form.js';
import { api, errorMessage, isApiError } from '../lib/api.js';
import { type FieldErrors, validate } from '../lib/validate.js';
import { AuthLayout } from './auth-layout.js';
import { rememberSession, safeNext } from './session.js';

/** Server error codes that belong to one field rather than to the whole form. */
const fieldOfCode: Record<string, string> = {
  password_too_short: 'password',
  password_too_common: 'password',
  email_taken: 'email',
};

export function SignUpPage() {
  const [params] = useSearchParams();
  const next = safeNext(params.get('next'));
  const navigate = useNavigate();
  const [fields, setFields] = useState<FieldErrors>({});
  const form = useFocusFirstInvalid(fields);
  const signUp = useMutation({
    mutationFn: (body: { email: string; password: string; name: string }) =>
      api<Me>('POST', '/api/auth/sign-up', body),
    onSuccess: (me) => {
      rememberSession(me);
      navigate(next, { replace: true });
    },
    onError: (error) => {
      if (!isApiError(error)) return setFields({});
      const field = fieldOfCode[error.code];
      setFields(field ? { [field]: error.message } : error.fields);
    },
  });

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const checked = validate(signUpBodySchema, formValues(event));
    if (!checked.ok) {
      setFields(checked.fields);
      return;
    }
    setFields({});
    signUp.mutate(checked.data);
  };

  const formError =
    signUp.isError && Object.keys(fields).length === 0 ? errorMessage(signUp.error) : null;
  const query = params.toString();

  return (
    <AuthLayout
      title="Create your account"
      description="Start automating your company's work in minutes."
      footer={
        <>
          Already have an account? <Link to={`/sign-in${query ? `?${query}` : ''}`}>Sign in</Link>
        </>
      }
    >
      <form ref={form} className="stack" onSubmit={submit} noValidate>
        {formError ? <Alert tone="danger">{formError}</Alert> : null}
        <FormField label="Name" error={fields.name}>
          <Input name="name" autoComplete="name" autoFocus placeholder="Ada Lovelace" />
        </FormField>
        <FormField label="Work email" error={fields.email}>
          <Input
            name="email"
            type="email"
            autoComplete="email"
            defaultValue={params.get('email') ?? ''}
            placeholder="you@company.com"
          />
        </FormField>
        <FormField
          label="Password"
          hint="At least 12 characters; avoid common passwords"
          error={fields.password}
        >
          <Input name="password" type="password" autoComplete="new-password" />
        </FormField>
        <Button type="submit" loading={signUp.isPending} className="auth-submit">
          {signUp.isPending ? 'Creating account…' : 'Create account'}
        </Button>
      </form>
    </AuthLayout>
  );
}

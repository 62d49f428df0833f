import { Button, describeIssue, ErrorSummary, TextField, type FieldIssue } from '@atrium/ui';
import { fieldRefusal, toRefusal } from '@atrium/ui/form.server';
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react';
import { metaTranslator } from '../account/meta';
import { HOME, requireSignedOut, safeRedirect } from '../auth.server';
import { AuthCard, textLink } from '../components/auth/AuthCard';
import { clientLoaderWithStrings, useWebT } from '../i18n';
import { useRootData } from '../root-data';

export const meta: MetaFunction = ({ matches }) => {
  const { t, product } = metaTranslator(matches);
  return [{ title: t('web.auth.register.metaTitle', { product }) }];
};

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireSignedOut(context, request, HOME);
  const url = new URL(request.url);
  // An invite link may carry its code: /register?code=ABCD-EFGH-JKMN
  return { redirectTo: safeRedirect(url.searchParams.get('redirectTo'), ''), code: url.searchParams.get('code')?.slice(0, 64) ?? '' };
}

/** A taken username or email (CONFLICT names no field): put it on the field it is about. */
function conflictField(message: string): Record<string, FieldIssue> {
  return /email/i.test(message) ? { email: { kind: 'invalid' } } : { username: { kind: 'invalid' } };
}

/** A plain form post: works without JavaScript. The procedure signs the new account in. */
export async function action({ request, context }: ActionFunctionArgs) {
  const form = await request.formData();
  const text = (name: string) => String(form.get(name) ?? '');
  const input = { code: text('code'), username: text('username'), displayName: text('displayName'), email: text('email'), password: text('password') };
  const values = { code: input.code, username: input.username, displayName: input.displayName, email: input.email };
  if (input.password && text('confirmPassword') !== input.password) {
    // The API is not asked, so say at least which required fields are still blank.
    const blank = (['code', 'username', 'displayName'] as const).filter((name) => !input[name].trim());
    const fields: Record<string, FieldIssue> = Object.fromEntries(blank.map((name) => [name, { kind: 'required' }]));
    return { refusal: fieldRefusal({ ...fields, confirmPassword: { kind: 'mismatch' } }), values };
  }
  try {
    await context.trpc.auth.register(input);
  } catch (error) {
    const refusal = toRefusal(error, input);
    if (refusal.code === 'CONFLICT') refusal.fields = conflictField(refusal.message);
    // The only refusal without fields: the invite is unknown, used, revoked or expired.
    else if (refusal.code === 'BAD_REQUEST' && Object.keys(refusal.fields).length === 0) refusal.fields = { code: { kind: 'invalid' } };
    return { refusal, values };
  }
  return redirect(safeRedirect(form.get('redirectTo'), HOME));
}

const FIELD_ORDER = ['code', 'username', 'displayName', 'email', 'password', 'confirmPassword'] as const;

/** The page's strings (`pageStringGroups`) arrive with its data on a navigation. */
export const clientLoader = clientLoaderWithStrings;

export default function Register() {
  const t = useWebT();
  const { redirectTo, code } = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>();
  const navigation = useNavigation();
  const product = useRootData()?.product ?? 'Atrium';
  const submitting = navigation.state !== 'idle' && navigation.formMethod?.toLowerCase() === 'post';
  const issues = answer?.refusal.fields ?? {};
  const values = answer?.values;

  const errors: Record<(typeof FIELD_ORDER)[number], string | undefined> = {
    code: describeIssue(t, issues.code, { invalid: t('web.auth.register.codeInvalid') }),
    username: describeIssue(t, issues.username, {
      invalid: answer?.refusal.code === 'CONFLICT' ? t('web.auth.register.usernameTaken') : t('web.auth.register.usernameInvalid'),
    }),
    displayName: describeIssue(t, issues.displayName),
    email: describeIssue(t, issues.email, { invalid: t('web.auth.register.emailTaken') }),
    password: describeIssue(t, issues.password, { invalid: t('web.auth.register.passwordInvalid') }),
    confirmPassword: describeIssue(t, issues.confirmPassword),
  };
  const fields = FIELD_ORDER.flatMap((id) => (errors[id] ? [{ id, message: errors[id] }] : []));
  const formError = answer && fields.length === 0 ? t('web.auth.register.failed') : undefined;
  const loginHref = redirectTo ? `/login?${new URLSearchParams({ redirectTo })}` : '/login';

  return (
    <AuthCard
      title={t('web.auth.register.title')}
      lead={t('web.auth.register.lead', { product })}
      footer={
        <>
          {t('web.auth.register.haveAccount')}{' '}
          <Link to={loginHref} className={textLink}>
            {t('web.auth.register.signInLink')}
          </Link>
        </>
      }
    >
      <div className="space-y-6">
        <ErrorSummary message={formError} fields={fields} focusKey={answer} />
        <Form method="post" noValidate className="space-y-5">
          {redirectTo ? <input type="hidden" name="redirectTo" value={redirectTo} /> : null}
          <TextField
            label={t('web.auth.register.code')}
            name="code"
            hint={t('web.auth.register.codeHint')}
            autoComplete="off"
            autoCapitalize="characters"
            spellCheck={false}
            required
            defaultValue={values?.code ?? code}
            error={errors.code}
            className="[&_input]:font-mono [&_input]:tracking-wider"
          />
          <TextField
            label={t('web.auth.register.username')}
            name="username"
            hint={t('web.auth.register.usernameHint')}
            autoComplete="username"
            autoCapitalize="none"
            spellCheck={false}
            required
            defaultValue={values?.username}
            error={errors.username}
          />
          <TextField
            label={t('web.auth.register.displayName')}
            name="displayName"
            hint={t('web.auth.register.displayNameHint', { product })}
            autoComplete="name"
            required
            defaultValue={values?.displayName}
            error={errors.displayName}
          />
          <TextField
            label={t('web.auth.register.email')}
            name="email"
            type="email"
            optional
            hint={t('web.auth.register.emailHint')}
            autoComplete="email"
            defaultValue={values?.email}
            error={errors.email}
          />
          <TextField
            label={t('web.auth.register.password')}
            name="password"
            type="password"
            hint={t('web.auth.register.passwordHint')}
            autoComplete="new-password"
            required
            error={errors.password}
          />
          <TextField
            label={t('web.auth.register.confirmPassword')}
            name="confirmPassword"
            type="password"
            autoComplete="new-password"
            required
            error={errors.confirmPassword}
          />
          <Button type="submit" className="w-full" disabled={submitting}>
            {submitting ? t('web.auth.register.submitting') : t('web.auth.register.submit')}
          </Button>
        </Form>
      </div>
    </AuthCard>
  );
}

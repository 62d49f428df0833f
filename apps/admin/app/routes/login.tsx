import {
  Button,
  CheckboxField,
  createTranslator,
  describeIssue,
  ErrorSummary,
  isLanguage,
  Logo,
  Notice,
  SsoButtons,
  ssoReason,
  TextField,
  useFormatDateTime,
} from '@atrium/ui';
import { getSignedInUser, requireSignedOut, safeRedirect } from '@atrium/ui/auth.server';
import { toRefusal } from '@atrium/ui/form.server';
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, useActionData, useLoaderData, useNavigation } from '@remix-run/react';
import { catalog, useAdminT } from '../i18n';
import { useRootData } from '../root-data';

export const meta: MetaFunction = ({ matches }) => {
  const root = matches.find((match) => match.id === 'root')?.data as { lang?: unknown; product?: string } | undefined;
  const t = createTranslator(isLanguage(root?.lang) ? root.lang : 'en', catalog);
  return [{ title: t('access.login.metaTitle', { product: root?.product ?? 'Atrium' }) }];
};

/** An administrator already signed in goes on; anyone else may sign in here as an administrator. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireSignedOut(context, request, '/', (user) => user.role === 'admin');
  const url = new URL(request.url);
  const user = await getSignedInUser(context);
  return {
    redirectTo: safeRedirect(url.searchParams.get('redirectTo'), ''),
    signedOut: url.searchParams.get('reason') === 'signed-out',
    // Signed in, but not as an administrator (e.g. a student's session from the main app).
    notAdmin: user ? user.displayName : null,
    ssoProviders: await context.trpc.auth.ssoProviders(),
    ssoError: ssoReason(url.searchParams.get('sso')),
  };
}

/** `adminOnly`: the API refuses anyone but an administrator before creating a session. */
export async function action({ request, context }: ActionFunctionArgs) {
  const form = await request.formData();
  const username = String(form.get('username') ?? '');
  const password = String(form.get('password') ?? '');
  const rememberMe = form.get('rememberMe') === 'on';
  try {
    await context.trpc.auth.signIn({ username, password, rememberMe, adminOnly: true });
  } catch (error) {
    return { refusal: toRefusal(error, { username, password }), values: { username, rememberMe } };
  }
  return redirect(safeRedirect(form.get('redirectTo'), '/'));
}

export default function Login() {
  const t = useAdminT();
  const { redirectTo, signedOut, notAdmin, ssoProviders, ssoError } = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>();
  const navigation = useNavigation();
  const formatTime = useFormatDateTime();
  const product = useRootData()?.product ?? 'Atrium';
  const submitting = navigation.state !== 'idle' && navigation.formMethod?.toLowerCase() === 'post';

  const refusal = answer?.refusal;
  const fieldErrors = {
    username: describeIssue(t, refusal?.fields.username, { required: t('access.login.usernameRequired') }),
    password: describeIssue(t, refusal?.fields.password, { required: t('access.login.passwordRequired') }),
  };
  let formError: string | undefined;
  if (refusal && !fieldErrors.username && !fieldErrors.password) {
    switch (refusal.code) {
      case 'UNAUTHORIZED':
        formError = t('access.login.wrongCredentials');
        break;
      case 'FORBIDDEN':
        formError = /administrators/i.test(refusal.message)
          ? t('access.login.adminOnly', { product })
          : /suspended/i.test(refusal.message)
            ? [
                t('access.login.suspended'),
                refusal.ban?.reason ? t('access.login.banReason', { reason: refusal.ban.reason }) : null,
                refusal.ban?.until ? t('access.login.banUntil', { time: formatTime(new Date(refusal.ban.until)) }) : null,
              ]
                .filter(Boolean)
                .join(' ')
            : t('access.login.notAllowed');
        break;
      case 'TOO_MANY_REQUESTS':
        formError = t('access.login.throttled', { time: refusal.resetsAt ? formatTime(new Date(refusal.resetsAt), { timeOnly: true }) : '…' });
        break;
      case 'SERVICE_UNAVAILABLE':
        formError = t('access.login.directoryDown');
        break;
      default:
        formError = t('access.login.failed');
    }
  }
  if (!refusal && ssoError) formError = t(`sso.errors.${ssoError}`);
  const fields = Object.entries(fieldErrors).flatMap(([id, message]) => (message ? [{ id, message }] : []));

  return (
    <div className="mx-auto w-full max-w-md px-4 py-12 sm:py-16">
      <div className="flex flex-col items-center text-center">
        <Logo className="size-11" />
        <h1 className="mt-5 text-2xl font-semibold tracking-tight">{t('access.login.title', { product })}</h1>
        <p className="mt-2 text-sm text-zinc-600 dark:text-zinc-400">{t('access.login.lead', { product })}</p>
      </div>
      <div className="mt-8 space-y-6 rounded-2xl border border-zinc-200 bg-white p-6 shadow-xl shadow-zinc-900/5 sm:p-8 dark:border-zinc-800 dark:bg-zinc-900 dark:shadow-black/30">
        {signedOut && !refusal && !ssoError ? <Notice tone="warning">{t('access.login.signedOut')}</Notice> : null}
        {notAdmin && !refusal ? <Notice tone="warning">{t('access.forbidden.body', { name: notAdmin })}</Notice> : null}
        <ErrorSummary message={formError} fields={fields} focusKey={answer ?? ssoError} />
        <SsoButtons providers={ssoProviders} redirectTo={redirectTo} />
        <Form method="post" noValidate className="space-y-5">
          {redirectTo ? <input type="hidden" name="redirectTo" value={redirectTo} /> : null}
          <TextField
            label={t('access.login.username')}
            name="username"
            autoComplete="username"
            autoCapitalize="none"
            spellCheck={false}
            required
            defaultValue={answer?.values.username}
            error={fieldErrors.username}
          />
          <TextField
            label={t('access.login.password')}
            name="password"
            type="password"
            autoComplete="current-password"
            required
            error={fieldErrors.password}
          />
          <CheckboxField label={t('access.login.rememberMe')} name="rememberMe" defaultChecked={answer?.values.rememberMe} />
          <Button type="submit" className="w-full" disabled={submitting}>
            {submitting ? t('access.login.submitting') : t('access.login.submit')}
          </Button>
        </Form>
      </div>
    </div>
  );
}

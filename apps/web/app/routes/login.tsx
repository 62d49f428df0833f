import { Button, CheckboxField, describeIssue, ErrorSummary, Notice, SsoButtons, ssoReason, TextField, useFormatDateTime } from '@atrium/ui';
import { toRefusal } from '@atrium/ui/form.server';
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react';
import { HOME, requireSignedOut, safeRedirect } from '../auth.server';
import { metaTranslator } from '../account/meta';
import { AuthCard, textLink } from '../components/auth/AuthCard';
import { clientLoaderWithStrings, useWebT } from '../i18n';
import { useRootData } from '../root-data';

export const meta: MetaFunction = ({ matches }) => {
  const { t, product } = metaTranslator(matches);
  return [{ title: t('web.auth.login.metaTitle', { product }) }];
};

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireSignedOut(context, request, HOME);
  const url = new URL(request.url);
  const reason = url.searchParams.get('reason');
  return {
    redirectTo: safeRedirect(url.searchParams.get('redirectTo'), ''),
    reason: reason === 'signed-out' || reason === 'expired' ? reason : null,
    ssoProviders: await context.trpc.auth.ssoProviders(),
    // A single sign-on attempt that came back refused says why.
    ssoError: ssoReason(url.searchParams.get('sso')),
  };
}

/** A plain form post: works without JavaScript. The procedure sets the session cookie on the response. */
export async function action({ request, context }: ActionFunctionArgs) {
  const form = await request.formData();
  const username = String(form.get('username') ?? '');
  const password = String(form.get('password') ?? '');
  const rememberMe = form.get('rememberMe') === 'on';
  try {
    await context.trpc.auth.signIn({ username, password, rememberMe, adminOnly: false });
  } catch (error) {
    return { refusal: toRefusal(error, { username, password }), values: { username, rememberMe } };
  }
  return redirect(safeRedirect(form.get('redirectTo'), HOME));
}

/** The page's strings (`pageStringGroups`) arrive with its data on a navigation. */
export const clientLoader = clientLoaderWithStrings;

export default function Login() {
  const t = useWebT();
  const { redirectTo, reason, ssoProviders, ssoError } = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>();
  const navigation = useNavigation();
  const formatTime = useFormatDateTime();
  const product = useRootData()?.product ?? 'Atrium';
  const submitting = navigation.state !== 'idle' && navigation.formMethod?.toLowerCase() === 'post';

  const refusal = answer?.refusal;
  const fieldErrors = {
    username: describeIssue(t, refusal?.fields.username, { required: t('web.auth.login.usernameRequired') }),
    password: describeIssue(t, refusal?.fields.password, { required: t('web.auth.login.passwordRequired') }),
  };

  let formError: string | undefined;
  if (refusal && !fieldErrors.username && !fieldErrors.password) {
    switch (refusal.code) {
      case 'UNAUTHORIZED':
        formError = t('web.auth.login.wrongCredentials');
        break;
      case 'FORBIDDEN':
        formError = /suspended/i.test(refusal.message)
          ? [
              t('web.auth.login.suspended'),
              refusal.ban?.reason ? t('web.auth.login.banReason', { reason: refusal.ban.reason }) : null,
              refusal.ban?.until ? t('web.auth.login.banUntil', { time: formatTime(new Date(refusal.ban.until)) }) : null,
            ]
              .filter(Boolean)
              .join(' ')
          : t('web.auth.login.notAllowed');
        break;
      case 'TOO_MANY_REQUESTS':
        formError = t('web.auth.login.throttled', {
          time: refusal.resetsAt ? formatTime(new Date(refusal.resetsAt), { timeOnly: true }) : '…',
        });
        break;
      case 'SERVICE_UNAVAILABLE':
        formError = t('web.auth.login.directoryDown');
        break;
      default:
        formError = t('web.auth.login.failed');
    }
  }
  if (!refusal && ssoError) formError = t(`sso.errors.${ssoError}`);
  const fields = Object.entries(fieldErrors).flatMap(([id, message]) => (message ? [{ id, message }] : []));
  const registerHref = redirectTo ? `/register?${new URLSearchParams({ redirectTo })}` : '/register';

  return (
    <AuthCard
      title={t('web.auth.login.title', { product })}
      lead={t('web.auth.login.lead')}
      footer={
        <>
          {t('web.auth.login.noAccount')}{' '}
          <Link to={registerHref} className={textLink}>
            {t('web.auth.login.registerLink')}
          </Link>
        </>
      }
    >
      <div className="space-y-6">
        {reason && !refusal && !ssoError ? (
          <Notice tone="warning" title={reason === 'signed-out' ? t('web.auth.login.signedOut') : undefined}>
            {reason === 'signed-out' ? t('web.auth.login.signedOutBody') : t('web.auth.login.expired')}
          </Notice>
        ) : null}
        <ErrorSummary message={formError} fields={fields} focusKey={answer ?? ssoError} />
        <SsoButtons providers={ssoProviders} redirectTo={redirectTo} />
        <Form method="post" noValidate className="space-y-5">
          {redirectTo ? <input type="hidden" name="redirectTo" value={redirectTo} /> : null}
          <TextField
            label={t('web.auth.login.username')}
            name="username"
            autoComplete="username"
            autoCapitalize="none"
            spellCheck={false}
            required
            defaultValue={answer?.values.username}
            error={fieldErrors.username}
          />
          <TextField
            label={t('web.auth.login.password')}
            name="password"
            type="password"
            autoComplete="current-password"
            required
            error={fieldErrors.password}
          />
          <CheckboxField
            label={t('web.auth.login.rememberMe')}
            name="rememberMe"
            hint={t('web.auth.login.rememberMeHint')}
            defaultChecked={answer?.values.rememberMe}
          />
          <Button type="submit" className="w-full" disabled={submitting}>
            {submitting ? t('web.auth.login.submitting') : t('web.auth.login.submit')}
          </Button>
        </Form>
      </div>
    </AuthCard>
  );
}

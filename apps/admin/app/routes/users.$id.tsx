import { Notice, useLanguage } from '@atrium/ui';
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node';
import { Link, useActionData, useLoaderData } from '@remix-run/react';
import { requireAdmin } from '../auth.server';
import { DeleteUserPanel } from '../components/access/DeleteUserPanel';
import { ExportUserPanel } from '../components/access/ExportUserPanel';
import { IdentitiesPanel } from '../components/access/IdentitiesPanel';
import { LimitsPanel } from '../components/access/LimitsPanel';
import { StoragePanel } from '../components/access/StoragePanel';
import { parseQuotaMb } from '../storage/quota-form';
import { RoleBadge, SourceLabel, StatusBadge } from '../components/access/UserBadges';
import { AccessPanel, PermissionsPanel, RolePanel, UnlocksPanel } from '../components/access/UserSettings';
import { Badge } from '../components/Badge';
import { formatDateTime } from '../format';
import { useAdminT } from '../i18n';
import { pageMeta } from '../page-meta';
import { isRole, type Role } from '../users/search-params';
import { parseLimits, parsePermissions, parseUnlocks } from '../users/settings-form';
import { banEnd } from '../users/ban-form';
import { isIntent, userActionError, type UserActionAnswer } from '../users/user-actions.server';

export const meta = pageMeta('access.users.metaTitle');

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

async function loadUser(context: LoaderFunctionArgs['context'], id: string | undefined) {
  if (!id || !UUID.test(id)) throw new Response('No such user.', { status: 404 });
  try {
    return await context.trpc.users.get({ id });
  } catch (error) {
    if (userActionError(error) === 'notFound') throw new Response('No such user.', { status: 404 });
    throw error;
  }
}

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const admin = await requireAdmin(context, request);
  const user = await loadUser(context, params.id);
  const [models, matrix, apiSettings, transparency, identities, exports, storage, roleQuotas] = await Promise.all([
    context.trpc.models.admin.list(),
    context.trpc.rateLimits.admin.matrix(),
    context.trpc.apiKeys.admin.settings(),
    context.trpc.usage.admin.transparency(),
    context.trpc.users.identities({ id: user.id }),
    context.trpc.account.admin.exports({ userId: user.id }),
    context.trpc.attachments.admin.userStorage({ userId: user.id }),
    context.trpc.attachments.admin.quotas(),
  ]);
  const roleLimits = Object.fromEntries(matrix.map((row) => [row.modelId, row.roles[user.role as Role]]));
  return {
    user,
    self: user.id === admin.id,
    identities,
    exports,
    models: models.map((model) => ({ id: model.id, displayName: model.displayName, enabled: model.enabled })),
    roleLimits,
    storage: { ...storage, roleQuotaBytes: roleQuotas.find((row) => row.role === user.role)?.quotaBytes ?? null },
    permissionDefaults: {
      createApiKeys: apiSettings.keyRoles.includes(user.role as Role),
      seeAnswerUsage: transparency.answerUsageRoles.includes(user.role as Role),
    },
  };
}

export async function action({ request, context, params }: ActionFunctionArgs): Promise<UserActionAnswer | Response> {
  await requireAdmin(context, request);
  const user = await loadUser(context, params.id);
  const form = await request.formData();
  const intent = form.get('intent');
  if (!isIntent(intent)) throw new Response('Unknown action.', { status: 400 });
  const id = user.id;
  try {
    switch (intent) {
      case 'setRole': {
        const role = form.get('role');
        if (!isRole(role)) return { intent, ok: false, error: 'invalid' };
        await context.trpc.users.setRole({ id, role });
        break;
      }
      case 'roleFromDirectory':
        await context.trpc.users.returnRoleToDirectory({ id });
        break;
      case 'ban': {
        const reason = String(form.get('reason') ?? '').trim();
        if (!reason) return { intent, ok: false, error: 'invalid', fields: { reason: 'invalid' } };
        const until = banEnd(form.get('duration'), new Date());
        await context.trpc.users.setBanned({ id, banned: true, reason, until });
        break;
      }
      case 'unban':
        await context.trpc.users.setBanned({ id, banned: false });
        break;
      case 'setLimits': {
        const models = await context.trpc.models.admin.list();
        const { limits, errors } = parseLimits(
          form,
          models.map((model) => model.id),
          user.limits,
        );
        if (Object.keys(errors).length) return { intent, ok: false, error: 'invalid', fields: errors };
        await context.trpc.users.setLimits({ id, limits });
        break;
      }
      case 'setStorageQuota': {
        const quota = parseQuotaMb(form.get('quota'));
        if (!quota.ok) return { intent, ok: false, error: 'invalid', fields: { quota: 'invalid' } };
        await context.trpc.attachments.admin.setUserQuota({ userId: id, quotaBytes: quota.bytes });
        break;
      }
      case 'setPermissions':
        await context.trpc.users.setPermissions({ id, permissions: parsePermissions(form) });
        break;
      case 'setUnlocks': {
        const { unlocks, error } = parseUnlocks(form);
        if (error) return { intent, ok: false, error: 'invalid', fields: { newUnlockKey: 'invalid' } };
        await context.trpc.users.setUnlocks({ id, unlocks });
        break;
      }
      case 'export':
        await context.trpc.account.admin.requestExport({ userId: id });
        break;
      case 'delete': {
        // The typed name guards against deleting the wrong person; the page checks it too.
        if (String(form.get('confirm') ?? '').trim() !== user.username) return { intent, ok: false, error: 'invalid', fields: { confirm: 'invalid' } };
        await context.trpc.users.delete({ id });
        return redirect(`/users?${new URLSearchParams({ deleted: user.username })}`);
      }
    }
  } catch (error) {
    return { intent, ok: false, error: userActionError(error) };
  }
  return { intent, ok: true };
}

export default function UserPage() {
  const t = useAdminT();
  const lang = useLanguage();
  const { user, self, models, roleLimits, storage, permissionDefaults, identities, exports } = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>() as UserActionAnswer | undefined;

  const banNotice = answer?.ok && (answer.intent === 'ban' || answer.intent === 'unban');
  return (
    <div className="space-y-8">
      <div>
        <Link to="/users" className="text-sm font-medium text-accent-700 hover:underline dark:text-accent-300">
          <span aria-hidden="true">← </span>
          {t('access.user.back')}
        </Link>
        <header className="mt-4 flex flex-col gap-4 sm:flex-row sm:items-start sm:justify-between">
          <div>
            <h1 className="text-2xl font-semibold tracking-tight sm:text-3xl">{user.displayName}</h1>
            <p className="mt-1 font-mono text-sm text-zinc-600 dark:text-zinc-400">{user.username}</p>
          </div>
          <div className="flex flex-wrap items-center gap-2" data-testid="user-badges">
            <RoleBadge role={user.role} />
            <StatusBadge banned={user.isBanned} />
            {self ? <Badge tone="accent">{t('access.user.you')}</Badge> : null}
          </div>
        </header>
        <dl className="mt-6 grid gap-4 rounded-2xl border border-zinc-200 bg-white p-5 text-sm shadow-sm sm:grid-cols-2 lg:grid-cols-4 dark:border-zinc-800 dark:bg-zinc-900">
          <div>
            <dt className="text-zinc-500 dark:text-zinc-400">{t('access.user.email')}</dt>
            <dd className="mt-1 font-medium break-all">{user.email ?? t('access.users.noEmail')}</dd>
          </div>
          <div>
            <dt className="text-zinc-500 dark:text-zinc-400">{t('access.user.source')}</dt>
            <dd className="mt-1 font-medium">
              <SourceLabel source={user.authSource} />
            </dd>
          </div>
          <div>
            <dt className="text-zinc-500 dark:text-zinc-400">{t('access.user.joined')}</dt>
            <dd className="mt-1 font-medium">
              <time dateTime={user.createdAt.toISOString()}>{formatDateTime(user.createdAt, lang)}</time>
            </dd>
          </div>
          <div>
            <dt className="text-zinc-500 dark:text-zinc-400">{t('access.user.lastLogin')}</dt>
            <dd className="mt-1 font-medium">
              {user.lastLoginAt ? <time dateTime={user.lastLoginAt.toISOString()}>{formatDateTime(user.lastLoginAt, lang)}</time> : t('access.users.never')}
            </dd>
          </div>
          {user.ldapDn ? (
            <div className="sm:col-span-2 lg:col-span-4">
              <dt className="text-zinc-500 dark:text-zinc-400">{t('access.user.ldapDn')}</dt>
              <dd className="mt-1 font-mono text-xs break-all">{user.ldapDn}</dd>
            </div>
          ) : null}
        </dl>
      </div>

      {banNotice ? (
        <Notice tone={answer.intent === 'ban' ? 'warning' : 'success'} focusKey={answer}>
          {t(answer.intent === 'ban' ? 'access.user.ban.banned' : 'access.user.ban.unbanned', { username: user.username })}
        </Notice>
      ) : null}

      <div className="grid gap-6 xl:grid-cols-2">
        <RolePanel user={user} self={self} answer={answer} />
        <AccessPanel user={user} self={self} answer={answer} />
      </div>
      <IdentitiesPanel identities={identities} />
      <LimitsPanel user={user} models={models} roleLimits={roleLimits} answer={answer} />
      <StoragePanel storage={storage} answer={answer} />
      <div className="grid gap-6 xl:grid-cols-2">
        <PermissionsPanel user={user} answer={answer} defaults={permissionDefaults} />
        <UnlocksPanel user={user} answer={answer} />
      </div>
      <ExportUserPanel exports={exports} answer={answer} />
      {self ? null : <DeleteUserPanel username={user.username} answer={answer} />}
    </div>
  );
}

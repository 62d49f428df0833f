import { Button, CheckboxField, Panel, SelectField, TextField, useLanguage } from '@atrium/ui';
import { Form, useNavigation } from '@remix-run/react';
import { formatDateTime } from '../../format';
import { useAdminT } from '../../i18n';
import { BAN_DURATIONS } from '../../users/ban-form';
import { useRootData } from '../../root-data';
import { ROLES } from '../../users/search-params';
import { PERMISSIONS, permissionField, type AdminUser } from '../../users/settings-form';
import type { UserActionAnswer } from '../../users/user-actions.server';
import { ConfirmButton } from '../ConfirmButton';
import { FormStatus } from './FormStatus';

type PanelProps = { user: AdminUser; answer: UserActionAnswer | undefined };

const useBusy = () => useNavigation().state !== 'idle';

export function RolePanel({ user, self, answer }: PanelProps & { self: boolean }) {
  const t = useAdminT();
  const busy = useBusy();
  return (
    <Form method="post">
      <Panel
        id="role"
        title={t('access.user.role.title')}
        description={t('access.user.role.description')}
        footer={
          <>
            <Button type="submit" name="intent" value="setRole" disabled={busy || self}>
              {t('access.user.role.save')}
            </Button>
            {user.authSource !== 'local' && user.roleSource === 'administrator' ? (
              <Button type="submit" name="intent" value="roleFromDirectory" variant="secondary" disabled={busy || self}>
                {t('access.user.role.useDirectory')}
              </Button>
            ) : null}
          </>
        }
      >
        <FormStatus answer={answer} intents={['setRole', 'roleFromDirectory']} />
        <p data-testid="role-source">
          {user.authSource === 'local'
            ? t('access.user.role.sourceLocal')
            : user.roleSource === 'directory'
              ? t('access.user.role.sourceDirectory')
              : t('access.user.role.sourceOverride')}
        </p>
        <SelectField
          label={t('access.roles.label')}
          name="role"
          id="role-select"
          defaultValue={user.role}
          key={user.role}
          disabled={self}
          hint={self ? t('access.user.errors.self') : undefined}
        >
          {ROLES.map((role) => (
            <option key={role} value={role}>
              {t(`roles.${role}`)}
            </option>
          ))}
        </SelectField>
      </Panel>
    </Form>
  );
}

export function AccessPanel({ user, self, answer }: PanelProps & { self: boolean }) {
  const t = useAdminT();
  const lang = useLanguage();
  const busy = useBusy();
  const product = useRootData()?.product ?? 'Atrium';
  return (
    <Form method="post">
      <Panel
        id="access"
        title={t('access.user.ban.title')}
        description={user.isBanned ? t('access.user.ban.bannedDescription') : t('access.user.ban.activeDescription', { product })}
        footer={
          self ? (
            <p className="text-sm text-zinc-500 dark:text-zinc-400">{t('access.user.errors.self')}</p>
          ) : user.isBanned ? (
            <Button type="submit" name="intent" value="unban" variant="secondary" disabled={busy}>
              {t('access.user.ban.unban')}
            </Button>
          ) : (
            <ConfirmButton
              label={t('access.user.ban.ban')}
              question={t('access.user.ban.banQuestion', { username: user.username })}
              confirmLabel={t('access.user.ban.banConfirm')}
              value="ban"
              tone="danger"
              disabled={busy}
            />
          )
        }
      >
        {answer && !answer.ok ? <FormStatus answer={answer} intents={['ban', 'unban']} /> : null}
        {user.isBanned ? (
          <div className="space-y-1 text-sm" data-testid="ban-details">
            {user.banReason ? <p>{t('access.user.ban.currentReason', { reason: user.banReason })}</p> : null}
            <p className="text-zinc-600 dark:text-zinc-400">
              {user.bannedUntil ? t('access.user.ban.until', { time: formatDateTime(new Date(user.bannedUntil), lang) }) : t('access.user.ban.untilLifted')}
            </p>
          </div>
        ) : self ? null : (
          <div className="grid gap-4 sm:grid-cols-3">
            <TextField
              className="sm:col-span-2"
              label={t('access.user.ban.reason')}
              name="reason"
              id="ban-reason"
              maxLength={500}
              required
              hint={t('access.user.ban.reasonHint')}
              error={answer && !answer.ok && answer.intent === 'ban' && answer.fields?.reason ? t('access.user.ban.reasonRequired') : undefined}
            />
            <SelectField label={t('access.user.ban.duration')} name="duration" id="ban-duration" defaultValue="forever">
              {(Object.keys(BAN_DURATIONS) as (keyof typeof BAN_DURATIONS)[]).map((duration) => (
                <option key={duration} value={duration}>
                  {t(`access.user.ban.durations.${duration}`)}
                </option>
              ))}
            </SelectField>
          </div>
        )}
      </Panel>
    </Form>
  );
}

/** What a permission is when the user has none of their own: allowed, unless their role's default says otherwise. */
export type PermissionDefaults = Partial<Record<(typeof PERMISSIONS)[number], boolean>>;

export function PermissionsPanel({ user, answer, defaults = {} }: PanelProps & { defaults?: PermissionDefaults }) {
  const t = useAdminT();
  const busy = useBusy();
  const permissions = user.permissions as Partial<Record<(typeof PERMISSIONS)[number], boolean>>;
  return (
    <Form method="post" key={JSON.stringify(permissions)}>
      <input type="hidden" name="intent" value="setPermissions" />
      <Panel
        id="permissions"
        title={t('access.user.permissions.title')}
        description={t('access.user.permissions.description')}
        footer={
          <Button type="submit" disabled={busy}>
            {t('access.user.permissions.save')}
          </Button>
        }
      >
        <FormStatus answer={answer} intents={['setPermissions']} />
        <fieldset>
          <legend className="sr-only">{t('access.user.permissions.title')}</legend>
          <div className="space-y-4">
            {PERMISSIONS.map((key) => (
              <CheckboxField
                key={key}
                name={permissionField(key)}
                label={t(`access.user.permissions.names.${key}`)}
                defaultChecked={permissions[key] ?? defaults[key] ?? true}
                hint={
                  permissions[key] !== undefined
                    ? undefined
                    : defaults[key] === undefined
                      ? t('access.user.permissions.notSet')
                      : t(defaults[key] ? 'access.user.permissions.roleAllows' : 'access.user.permissions.roleWithholds')
                }
              />
            ))}
          </div>
        </fieldset>
      </Panel>
    </Form>
  );
}

export function UnlocksPanel({ user, answer }: PanelProps) {
  const t = useAdminT();
  const busy = useBusy();
  const entries = Object.entries(user.unlocks as Record<string, boolean>).sort(([a], [b]) => a.localeCompare(b));
  const newKeyError = answer && !answer.ok && answer.intent === 'setUnlocks' && answer.fields?.newUnlockKey ? t('access.user.unlocks.invalidKey') : undefined;
  return (
    <Form method="post" key={JSON.stringify(entries)}>
      <input type="hidden" name="intent" value="setUnlocks" />
      <Panel
        id="unlocks"
        title={t('access.user.unlocks.title')}
        description={t('access.user.unlocks.description')}
        footer={
          <Button type="submit" disabled={busy}>
            {t('access.user.unlocks.save')}
          </Button>
        }
      >
        <FormStatus answer={answer} intents={['setUnlocks']} fieldErrors={newKeyError ? [{ id: 'newUnlockKey', message: newKeyError }] : []} />
        {entries.length === 0 ? (
          <p className="mb-5 text-sm text-zinc-500 dark:text-zinc-400">{t('access.user.unlocks.empty')}</p>
        ) : (
          <ul className="mb-5 divide-y divide-zinc-200 rounded-lg border border-zinc-200 dark:divide-zinc-800 dark:border-zinc-800">
            {entries.map(([key, on]) => (
              <li key={key} className="flex flex-wrap items-center justify-between gap-3 px-3 py-2.5">
                <input type="hidden" name="unlockKeys" value={key} />
                <CheckboxField
                  name={`unlockOn:${key}`}
                  label={<span className="font-mono">{key}</span>}
                  aria-label={t('access.user.unlocks.enabledFor', { key })}
                  defaultChecked={on}
                />
                <CheckboxField
                  name={`unlockRemove:${key}`}
                  label={t('access.user.unlocks.remove')}
                  aria-label={t('access.user.unlocks.removeFor', { key })}
                />
              </li>
            ))}
          </ul>
        )}
        <div className="grid gap-4 sm:grid-cols-[minmax(0,1fr)_auto] sm:items-start">
          <TextField
            name="newUnlockKey"
            label={t('access.user.unlocks.newKey')}
            hint={t('access.user.unlocks.newKeyHint')}
            autoCapitalize="none"
            spellCheck={false}
            maxLength={64}
            error={newKeyError}
          />
          <CheckboxField name="newUnlockOn" label={t('access.user.unlocks.enabled')} defaultChecked className="sm:mt-8" />
        </div>
      </Panel>
    </Form>
  );
}

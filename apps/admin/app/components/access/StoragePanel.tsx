import { Button, Panel, TextField, useLanguage } from '@atrium/ui';
import { Form, useNavigation } from '@remix-run/react';
import { useAdminT } from '../../i18n';
import { formatBytes, quotaMb } from '../../storage/quota-form';
import type { UserActionAnswer } from '../../users/user-actions.server';
import { FormStatus } from './FormStatus';

type Storage = { usedBytes: number; quotaBytes: number | null; override: number | null; roleQuotaBytes: number | null };

/** What a user keeps in files against their quota, and their own quota overriding the role's. */
export function StoragePanel({ storage, answer }: { storage: Storage; answer: UserActionAnswer | undefined }) {
  const t = useAdminT();
  const lang = useLanguage();
  const busy = useNavigation().state !== 'idle';
  const invalid = answer && !answer.ok && answer.intent === 'setStorageQuota' && answer.fields?.quota;
  return (
    <Form method="post" key={String(storage.override)}>
      <input type="hidden" name="intent" value="setStorageQuota" />
      <Panel
        id="storage"
        title={t('access.user.storage.title')}
        description={t('access.user.storage.description')}
        footer={
          <Button type="submit" disabled={busy}>
            {t('access.user.storage.save')}
          </Button>
        }
      >
        <FormStatus answer={answer} intents={['setStorageQuota']} fieldErrors={invalid ? [{ id: 'quota', message: t('access.user.storage.invalid') }] : []} />
        <p className="mb-4 text-sm font-medium" data-testid="storage-used">
          {storage.quotaBytes === null
            ? t('access.user.storage.usedUnlimited', { used: formatBytes(storage.usedBytes, lang) })
            : t('access.user.storage.used', { used: formatBytes(storage.usedBytes, lang), quota: formatBytes(storage.quotaBytes, lang) })}
        </p>
        <TextField
          name="quota"
          label={t('access.user.storage.field')}
          inputMode="decimal"
          className="max-w-xs"
          defaultValue={quotaMb(storage.override)}
          hint={t('access.user.storage.roleDefault', {
            value: storage.roleQuotaBytes === null ? t('access.user.storage.unlimited') : formatBytes(storage.roleQuotaBytes, lang),
          })}
          error={invalid ? t('access.user.storage.invalid') : undefined}
        />
      </Panel>
    </Form>
  );
}

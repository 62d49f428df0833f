import { Button, ErrorSummary, Notice, Panel, TextField } from '@atrium/ui';
import { Form, useNavigation } from '@remix-run/react';
import { useAdminT } from '../i18n';
import { quotaMb } from '../storage/quota-form';

type Role = 'student' | 'staff' | 'admin';
export type RoleQuotasAnswer = { ok: true } | { ok: false; invalid: Role[] };

/** Each role's file storage quota, in megabytes; empty is no limit. */
export function RoleQuotasPanel({
  roles,
  quotas,
  answer,
}: {
  roles: readonly Role[];
  quotas: { role: string; quotaBytes?: number | null | undefined }[];
  answer: RoleQuotasAnswer | undefined;
}) {
  const t = useAdminT();
  const busy = useNavigation().state !== 'idle';
  const quotaOf = (role: Role) => quotas.find((row) => row.role === role)?.quotaBytes ?? null;
  const invalid = answer && !answer.ok ? answer.invalid : [];
  return (
    <Form method="post" key={JSON.stringify(quotas)}>
      <input type="hidden" name="intent" value="setRoleQuotas" />
      <Panel
        id="storage-quotas"
        title={t('content.limits.storage.title')}
        description={t('content.limits.storage.description')}
        footer={
          <Button type="submit" disabled={busy}>
            {t('content.limits.storage.save')}
          </Button>
        }
      >
        {answer?.ok ? (
          <Notice tone="success" focusKey={answer} className="mb-5">
            {t('content.limits.storage.saved')}
          </Notice>
        ) : null}
        {invalid.length ? (
          <div className="mb-5">
            <ErrorSummary fields={invalid.map((role) => ({ id: `quota-${role}`, message: t('content.limits.storage.invalid') }))} focusKey={answer} />
          </div>
        ) : null}
        <div className="grid gap-5 sm:grid-cols-3">
          {roles.map((role) => (
            <TextField
              key={role}
              name={`quota-${role}`}
              label={t('content.limits.storage.field', { role: t(`content.common.roles.${role}`) })}
              inputMode="decimal"
              defaultValue={quotaMb(quotaOf(role))}
              error={invalid.includes(role) ? t('content.limits.storage.invalid') : undefined}
            />
          ))}
        </div>
      </Panel>
    </Form>
  );
}

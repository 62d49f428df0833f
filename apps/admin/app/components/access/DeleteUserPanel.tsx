import { buttonClass, Panel, TextField, useHydrated } from '@atrium/ui';
import { Form, useNavigation } from '@remix-run/react';
import { useState } from 'react';
import { useAdminT } from '../../i18n';
import type { UserActionAnswer } from '../../users/user-actions.server';
import { FormStatus } from './FormStatus';

/**
 * Erasure, behind a deliberate step: "Delete user…" opens the confirmation (a <details>, so it
 * works without JavaScript), where the admin types the username; the button stays disabled until
 * it matches, and the server checks it again.
 */
export function DeleteUserPanel({ username, answer }: { username: string; answer: UserActionAnswer | undefined }) {
  const t = useAdminT();
  const busy = useNavigation().state !== 'idle';
  const [typed, setTyped] = useState('');
  // Without JavaScript the button cannot follow the typing; the server's check stands alone.
  const hydrated = useHydrated();
  const refused = answer && !answer.ok && answer.intent === 'delete';
  const mismatch = refused && answer.fields?.confirm ? t('access.user.delete.mismatch') : undefined;
  return (
    <Panel id="delete" tone="danger" title={t('access.user.delete.title')} description={t('access.user.delete.description')}>
      <FormStatus answer={answer} intents={['delete']} fieldErrors={mismatch ? [{ id: 'confirm', message: mismatch }] : []} />
      <details
        open={refused || undefined}
        onToggle={(event) => {
          if (event.currentTarget.open) event.currentTarget.querySelector('input')?.focus();
        }}
      >
        <summary className={`${buttonClass('secondary')} cursor-pointer list-none text-rose-700 dark:text-rose-300 [&::-webkit-details-marker]:hidden`}>
          {t('access.user.delete.open')}
        </summary>
        <Form method="post" className="mt-5 max-w-md space-y-4">
          <input type="hidden" name="intent" value="delete" />
          <TextField
            name="confirm"
            label={t('access.user.delete.confirmLabel', { username })}
            autoComplete="off"
            autoCapitalize="none"
            spellCheck={false}
            value={typed}
            onChange={(event) => setTyped(event.target.value)}
            error={mismatch}
          />
          <button type="submit" className={buttonClass('danger')} disabled={busy || (hydrated && typed.trim() !== username)}>
            {t('access.user.delete.confirm', { username })}
          </button>
        </Form>
      </details>
    </Panel>
  );
}

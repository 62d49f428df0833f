import type { SessionView } from '@atrium/api';
import { Button, LocalTime, useFormatDateTime } from '@atrium/ui';
import { Form } from '@remix-run/react';
import { summarizeUserAgent } from '../../account/user-agent';
import { useWebT } from '../../i18n';


const icons = {
  computer: 'M3 5a1 1 0 0 1 1-1h12a1 1 0 0 1 1 1v8H3zm-1 9h16l-1 2H3z',
  phone: 'M7 2h6a1 1 0 0 1 1 1v14a1 1 0 0 1-1 1H7a1 1 0 0 1-1-1V3a1 1 0 0 1 1-1zm2 13h2',
  script: 'M4 4h12v12H4zm3 4 2 2-2 2m4 0h2',
};

/** The device name a person recognises: "Firefox on Windows", or what little is known. */
export function useDeviceName() {
  const t = useWebT();
  return (userAgent: string | null) => {
    const device = summarizeUserAgent(userAgent);
    if (device.client) return t('web.account.sessions.client', { client: device.client });
    if (device.browser && device.os) return t('web.account.sessions.deviceOn', { browser: device.browser, os: device.os });
    return device.browser ?? device.os ?? t('web.account.sessions.unknownDevice');
  };
}

/** One signed-in device on the sessions page, with its "Sign out" button. */
export function SessionItem({ session, busy }: { session: SessionView; busy: boolean }) {
  const t = useWebT();
  const deviceName = useDeviceName();
  const format = useFormatDateTime();
  const device = summarizeUserAgent(session.userAgent);
  const name = deviceName(session.userAgent);
  const icon = device.client ? icons.script : device.mobile ? icons.phone : icons.computer;
  const badge = 'inline-flex items-center rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset';

  return (
    <li
      data-testid="session"
      data-current={session.current ? 'true' : undefined}
      className="flex flex-col gap-4 px-5 py-5 sm:flex-row sm:items-start sm:px-6"
    >
      <div
        aria-hidden="true"
        className={`flex size-10 shrink-0 items-center justify-center rounded-xl ${
          session.current ? 'bg-accent-50 text-accent-600 dark:bg-accent-950 dark:text-accent-400' : 'bg-zinc-100 text-zinc-500 dark:bg-zinc-800 dark:text-zinc-400'
        }`}
      >
        <svg viewBox="0 0 20 20" className="size-5" fill="none" stroke="currentColor" strokeWidth="1.5" strokeLinecap="round" strokeLinejoin="round">
          <path d={icon} />
        </svg>
      </div>
      <div className="min-w-0 flex-1">
        <div className="flex flex-wrap items-center gap-2">
          <h3 className="font-medium">{name}</h3>
          {session.current ? (
            <span className={`${badge} bg-emerald-50 text-emerald-800 ring-emerald-200 dark:bg-emerald-950 dark:text-emerald-200 dark:ring-emerald-900`}>
              {t('web.account.sessions.current')}
            </span>
          ) : null}
          <span className={`${badge} bg-zinc-50 text-zinc-600 ring-zinc-200 dark:bg-zinc-800 dark:text-zinc-300 dark:ring-zinc-700`}>
            {session.type === 'remember_token' ? t('web.account.sessions.remembered') : t('web.account.sessions.browserSession')}
          </span>
        </div>
        <dl className="mt-2 grid grid-cols-1 gap-x-6 gap-y-1 text-sm text-zinc-600 sm:grid-cols-2 dark:text-zinc-400">
          <div className="flex gap-1.5">
            <dt className="text-zinc-500 dark:text-zinc-500">{t('web.account.sessions.ip')}:</dt>
            <dd className="font-mono text-[0.8125rem]">{session.ip ?? t('web.account.sessions.unknownIp')}</dd>
          </div>
          <div className="flex gap-1.5">
            <dt className="text-zinc-500 dark:text-zinc-500">{t('web.account.sessions.lastSeen')}:</dt>
            <dd>
              <LocalTime value={session.lastSeenAt} />
            </dd>
          </div>
          <div className="flex gap-1.5">
            <dt className="text-zinc-500 dark:text-zinc-500">{t('web.account.sessions.created')}:</dt>
            <dd>
              <LocalTime value={session.createdAt} />
            </dd>
          </div>
          <div className="flex gap-1.5">
            <dt className="text-zinc-500 dark:text-zinc-500">{t('web.account.sessions.expires')}:</dt>
            <dd>
              <LocalTime value={session.expiresAt} />
            </dd>
          </div>
        </dl>
      </div>
      <Form method="post" className="shrink-0">
        <input type="hidden" name="id" value={session.id} />
        <Button
          type="submit"
          name="intent"
          value="revoke"
          variant="secondary"
          size="sm"
          disabled={busy}
          aria-label={t('web.account.sessions.revokeLabel', { device: name, time: format(session.lastSeenAt) })}
        >
          {session.current ? t('web.account.sessions.revokeCurrent') : t('web.account.sessions.revoke')}
        </Button>
      </Form>
    </li>
  );
}

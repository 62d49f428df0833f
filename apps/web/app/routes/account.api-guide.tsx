import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { apiExamples } from '../account/api-examples';
import { metaTranslator } from '../account/meta';
import { requireUser } from '../auth.server';
import { useWebT } from '../i18n';
import { useRootData } from '../root-data';

export const meta: MetaFunction = ({ matches }) => {
  const { t, product } = metaTranslator(matches);
  return [{ title: t('web.apiKeys.guide.metaTitle', { product }) }];
};

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireUser(context, request);
  const models = await context.trpc.models.list();
  return { origin: new URL(request.url).origin, models: models.map((model) => ({ id: model.id, displayName: model.displayName })) };
}

export default function ApiGuide() {
  const t = useWebT();
  const product = useRootData()?.product ?? 'Atrium';
  const { origin, models } = useLoaderData<typeof loader>();
  const examples = apiExamples(origin, models[0]?.id ?? 'MODEL_ID');
  return (
    <div className="space-y-6">
      <header>
        <h1 className="text-2xl font-semibold tracking-tight">{t('web.apiKeys.guide.title')}</h1>
        <p className="mt-2 max-w-2xl text-sm text-zinc-600 dark:text-zinc-400">{t('web.apiKeys.guide.lead', { product })}</p>
      </header>
      <dl className="grid gap-4 rounded-2xl border border-zinc-200 bg-white p-5 text-sm shadow-sm sm:grid-cols-2 dark:border-zinc-800 dark:bg-zinc-900">
        <div>
          <dt className="font-medium">{t('web.apiKeys.guide.baseUrl')}</dt>
          <dd className="mt-1">
            <code data-testid="api-base-url">{examples.baseUrl}</code>
          </dd>
        </div>
        <div>
          <dt className="font-medium">{t('web.apiKeys.guide.models')}</dt>
          <dd className="mt-1">
            {models.length ? (
              <ul>
                {models.map((model) => (
                  <li key={model.id}>
                    <code>{model.id}</code> · {model.displayName}
                  </li>
                ))}
              </ul>
            ) : (
              t('web.apiKeys.guide.noModels')
            )}
          </dd>
        </div>
      </dl>
      <p className="text-sm text-zinc-600 dark:text-zinc-400">{t('web.apiKeys.guide.keyHint')}</p>
      <Example title={t('web.apiKeys.guide.python')} code={examples.python} />
      <Example title={t('web.apiKeys.guide.javascript')} code={examples.javascript} />
      <Example title={t('web.apiKeys.guide.curl')} code={examples.curl} />
      <Example title={t('web.apiKeys.guide.client', { product })} lead={t('web.apiKeys.guide.clientBody')} code={examples.client} />
      <section aria-labelledby="api-notes">
        <h2 id="api-notes" className="text-base font-semibold">
          {t('web.apiKeys.guide.notes')}
        </h2>
        <ul className="mt-2 list-disc space-y-1 pl-5 text-sm text-zinc-700 dark:text-zinc-300">
          <li>{t('web.apiKeys.guide.noteLimits')}</li>
          <li>{t('web.apiKeys.guide.noteFields')}</li>
          <li>{t('web.apiKeys.guide.noteStop')}</li>
        </ul>
      </section>
      <Link to="/account/api-keys" className="inline-block text-sm font-medium text-accent-700 hover:underline dark:text-accent-300">
        {t('web.apiKeys.guide.back')}
      </Link>
    </div>
  );
}

function Example({ title, lead, code }: { title: string; lead?: string; code: string }) {
  return (
    <section>
      <h2 className="text-base font-semibold">{title}</h2>
      {lead ? <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">{lead}</p> : null}
      <pre className="mt-2 overflow-x-auto rounded-xl bg-zinc-950 p-4 text-xs leading-relaxed text-zinc-100">
        <code>{code}</code>
      </pre>
    </section>
  );
}

import type { LoaderFunctionArgs } from '@remix-run/node';
import { rangeFromSearch } from '../dates';
import { requireAdmin } from '../auth.server';

const GROUPINGS = ['day', 'model', 'role', 'user'] as const;
type Grouping = (typeof GROUPINGS)[number];

/** `/analytics.csv?from=&to=&groupBy=`: the analytics of a period as a spreadsheet download. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireAdmin(context, request);
  const params = new URL(request.url).searchParams;
  const requested = params.get('groupBy');
  const groupBy: Grouping = GROUPINGS.includes(requested as Grouping) ? (requested as Grouping) : 'day';
  const range = rangeFromSearch(params, new Date());
  const { filename, content } = await context.trpc.usage.admin.csv({ ...range, groupBy, limit: 1000 });
  return new Response(content, {
    headers: {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="${filename.replace(/["\\\r\n]/g, '')}"`,
      'Cache-Control': 'private, no-store',
    },
  });
}

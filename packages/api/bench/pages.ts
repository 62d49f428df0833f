/**
 * The pages figure of issue #9: `chat.conversations` and `chat.messages` over HTTP (express, the
 * tRPC middleware, superjson), called through Atrium's own links as the web app and scripts call
 * them (a query goes in a batch, answered as a stream of JSON lines), against their SQL time,
 * first and deepest page. A page's HTTP time runs from the link's fetch to the page in hand: the
 * link's wait for more queries to batch (a timer, 1 ms or more in node) is the client's, not the
 * request's. The SQL side is the request's own statements, traced as the server sent them
 * (parameters inlined, the session lookup included) and sent again one after the other on the
 * server's connection; so HTTP − SQL is everything that is not the database: context, tRPC,
 * the ORM, serialization, express. `statementsPerRequest` shows what the request sends, so a page
 * cannot look cheap by sending more statements. HTTP and SQL samples are interleaved, so a burst
 * of load on the machine falls on both sides.
 */
// The apps' and scripts' own links: not a declared dependency (see web-send.ts).
import { atriumLinks } from '@atrium/client';
import { createTRPCClient } from '@trpc/client';
import type { AppRouter } from '../src/root';

type Server = { url: string; call<T = Record<string, unknown>>(message: Record<string, unknown>): Promise<T> };

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
};
const round = (value: number, digits = 2) => Math.round(value * 10 ** digits) / 10 ** digits;
const dist = (values: number[]) => ({ p50: round(percentile(values, 50)), p90: round(percentile(values, 90)), n: values.length });

export type PageFigure = {
  httpMs: ReturnType<typeof dist>;
  sqlMs: ReturnType<typeof dist>;
  httpMinusSqlP50Ms: number;
  statementsPerRequest: number;
  /** The server process's CPU time per request (process.cpuUsage): steadier than wall time on a busy machine. */
  serverCpuMsPerRequest: number;
  statements: string[];
};

export type PagesOptions = {
  sizes: number[];
  /** Timed requests per case (and as many SQL replays), in rounds of ten. */
  samples: number;
  /**
   * Untimed requests per case first (default 300): a running server has served its pages
   * thousands of times, and V8 has optimized their code. With 10, as before 2026-11-30 12:00, the
   * server's CPU per request was about twice a warm server's.
   */
  warmUp?: number;
  /** Prints the plan (explain analyze) of each case's last statement, the page's own. */
  explain?: boolean;
  /** Called with each case's requests (as many again, HTTP only, after the timed ones): the profiler. */
  profile?: (name: string, requests: number, run: () => Promise<void>) => Promise<void>;
};

export async function measurePages(server: Server, { sizes, samples, warmUp = 300, profile, explain }: PagesOptions): Promise<Record<string, PageFigure>> {
  const pages: Record<string, PageFigure> = {};
  for (const size of sizes) {
    const seeded = await server.call<{
      token: string;
      conversationId: string;
      deepConversation: { updatedAt: string; id: string };
      deepMessage: { createdAt: string; id: string };
    }>({ type: 'pages', conversations: size, messages: Math.min(size, 20_000) });
    let fetched = 0;
    const client = createTRPCClient<AppRouter>({
      links: atriumLinks({
        endpoint: `${server.url}/api/trpc`,
        headers: () => ({ authorization: `Bearer ${seeded.token}` }),
        fetch: (input, init) => {
          fetched = performance.now();
          return fetch(input, init);
        },
      }),
    });
    const deepConversation = { updatedAt: new Date(seeded.deepConversation.updatedAt), id: seeded.deepConversation.id };
    const cases = {
      conversationsFirst: () => client.chat.conversations.query({ limit: 50 }),
      conversationsDeep: () => client.chat.conversations.query({ limit: 50, cursor: deepConversation }),
      messagesFirst: () => client.chat.messages.query({ conversationId: seeded.conversationId, limit: 50 }),
      messagesDeep: () => client.chat.messages.query({ conversationId: seeded.conversationId, limit: 50, cursor: seeded.deepMessage.id }),
    };
    for (const [name, request] of Object.entries(cases)) {
      for (let i = 0; i < warmUp; i++) await request();
      await server.call({ type: 'trace', on: true, asSent: true });
      await request();
      const { statements, bound } = await server.call<{ statements: string[]; bound: { sql: string; params: unknown[] }[] }>({ type: 'trace', on: false });
      const http: number[] = [];
      const sql: number[] = [];
      let sent = 0;
      let cpuMicros = 0;
      for (let round = 0; round < Math.ceil(samples / 10); round++) {
        const before = await server.call<{ statements: number; cpuMicros: number }>({ type: 'stats' });
        for (let i = 0; i < 10; i++) {
          await request();
          http.push(performance.now() - fetched);
        }
        const after = await server.call<{ statements: number; cpuMicros: number }>({ type: 'stats' });
        sent += after.statements - before.statements;
        cpuMicros += after.cpuMicros - before.cpuMicros;
        sql.push(...(await server.call<{ times: number[] }>({ type: 'replay', statements: bound, repeat: 10 })).times);
      }
      if (explain) console.log(`${name}@${size}:\n${(await server.call<{ plan: string }>({ type: 'explain', statement: statements.at(-1)! })).plan}`);
      await profile?.(`${name}@${size}`, samples, async () => {
        for (let i = 0; i < samples; i++) await request();
      });
      pages[`${name}@${size}`] = {
        httpMs: dist(http),
        sqlMs: dist(sql),
        httpMinusSqlP50Ms: round(percentile(http, 50) - percentile(sql, 50)),
        statementsPerRequest: round(sent / http.length, 1),
        serverCpuMsPerRequest: round(cpuMicros / 1000 / http.length),
        statements: statements.map((statement) => (statement.length > 160 ? `${statement.slice(0, 157)}...` : statement)),
      };
    }
  }
  return pages;
}

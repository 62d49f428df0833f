import { UsageDaily } from '@atrium/db';
import { testDatabaseKinds } from '@atrium/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiTestKit, type ApiTestKit } from '../../testing';

describe.each(testDatabaseKinds())('usage by provider on %s', (kind) => {
  let kit: ApiTestKit;
  beforeAll(async () => {
    kit = await createApiTestKit(kind);
  });
  afterAll(() => kit?.close());

  it('sums the ledger per provider (Groq vs local vs OpenAI), only inside the range, admins only', async () => {
    const admin = await kit.signedIn('admin');
    const ayse = await kit.signedIn();
    const mehmet = await kit.signedIn();
    const em = kit.db.orm.em.fork();
    const row = (user: string, date: string, model: string, provider: 'groq' | 'local' | 'openai', requests: number, costMicros: number) =>
      em.create(UsageDaily, { user, date, model, provider, requests, promptTokens: requests * 100, completionTokens: requests * 10, costMicros });
    row(ayse.user.id, '2026-03-02', 'groq-a', 'groq', 5, 500);
    row(ayse.user.id, '2026-03-02', 'groq-b', 'groq', 2, 100);
    row(mehmet.user.id, '2026-03-03', 'groq-a', 'groq', 1, 50);
    row(mehmet.user.id, '2026-03-03', 'llama-local', 'local', 7, 0);
    row(ayse.user.id, '2026-03-04', 'gpt', 'openai', 1, 9000);
    // Outside the range: not counted.
    row(ayse.user.id, '2026-04-01', 'groq-a', 'groq', 99, 99);
    await em.flush();

    const byProvider = await admin.caller.usage.admin.analytics({ from: '2026-03-01', to: '2026-03-31', groupBy: 'provider' });
    expect(byProvider.map(({ key, requests, promptTokens, costMicros, users }) => ({ key, requests, promptTokens, costMicros, users }))).toEqual([
      { key: 'groq', requests: 8, promptTokens: 800, costMicros: 650, users: 2 },
      { key: 'local', requests: 7, promptTokens: 700, costMicros: 0, users: 1 },
      { key: 'openai', requests: 1, promptTokens: 100, costMicros: 9000, users: 1 },
    ]);
    const csv = await admin.caller.usage.admin.csv({ from: '2026-03-01', to: '2026-03-31', groupBy: 'provider' });
    expect(csv.filename).toBe('atrium-usage-by-provider-2026-03-01-to-2026-03-31.csv');
    expect(csv.content).toContain('groq');
    await expect(ayse.caller.usage.admin.analytics({ from: '2026-03-01', to: '2026-03-31', groupBy: 'provider' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });
});

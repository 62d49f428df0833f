import { createHash, randomUUID } from 'node:crypto';
import { recordAudit } from '@atrium/auth';
import type { AnswerResult, AnswerStream } from '@atrium/ai';
import {
  AnswerCache,
  CacheSettings,
  directSql,
  SINGLETON_ID,
  type EntityManager,
  type IPreset,
  type IUser,
} from '@atrium/db';
import { cacheSettings, type CacheSettingsFields } from '../../platform/platform.parts';

export type { CacheSettingsFields };

async function settingsRow(em: EntityManager) {
  const row = await em.findOne(CacheSettings, SINGLETON_ID);
  if (row) return row;
  await em.execute('insert into cache_settings (id, updated_at) values (?, ?) on conflict (id) do nothing', [
    SINGLETON_ID,
    new Date(),
  ]);
  return em.findOneOrFail(CacheSettings, SINGLETON_ID);
}

/** Read from memory (see platform.cache.ts): every first message needs them, admins rarely change them. */
export async function loadCacheSettings(em: EntityManager): Promise<CacheSettingsFields & { updatedAt: Date }> {
  const { enabled, ttlSeconds, shared, updatedAt } = await cacheSettings(em);
  return { enabled, ttlSeconds, shared, updatedAt };
}

export async function updateCacheSettings(em: EntityManager, admin: IUser, fields: CacheSettingsFields) {
  return em.transactional(async (tx) => {
    const row = await settingsRow(tx);
    const { enabled, ttlSeconds, shared } = row;
    recordAudit(tx, admin.id, 'cacheSettings.update', null, { from: { enabled, ttlSeconds, shared }, to: fields });
    tx.assign(row, fields);
    await tx.flush();
    return loadCacheSettings(tx);
  });
}

/** Case and spacing do not make a different question. */
export const normalizeQuestion = (question: string) => question.toLowerCase().replace(/\s+/g, ' ').trim();

export type CacheKeyParts = {
  question: string;
  modelId: string;
  preset: Pick<IPreset, 'id' | 'updatedAt'> | null;
  identityRevision: number;
  /**
   * The rendered system prompt. It already depends on the identity and preset, and it also
   * carries what is personal (remembered facts, the user's name in a template, the date), so
   * an answer shaped by one user's memory never serves a prompt that lacks it.
   */
  system: string;
};

export function answerCacheKey(parts: CacheKeyParts): string {
  const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
  return sha256(
    JSON.stringify([
      normalizeQuestion(parts.question),
      parts.modelId,
      parts.preset?.id ?? null,
      parts.preset?.updatedAt.toISOString() ?? null,
      parts.identityRevision,
      sha256(parts.system),
    ]),
  );
}

/** A live entry's id and answer: all a turn needs of it. */
export type CacheHit = { id: string; answer: string };
/** Where a question's answer would be cached, and the select of a live entry there (at most one row, a `CacheHit`). */
export type CacheLookup = { key: string; settings: CacheSettingsFields; select: { sql: string; params: unknown[] } };

/**
 * How to find a live cached answer for a context-free question: my own entries, plus shared ones
 * when the admin turned sharing on. Null when the cache is off. No statement is sent: the turn
 * runs the select inside its admission's, so the lookup costs no round trip of its own.
 */
export async function answerLookup(em: EntityManager, user: IUser, parts: CacheKeyParts, now: Date): Promise<CacheLookup | null> {
  const settings = await loadCacheSettings(em);
  if (!settings.enabled) return null;
  const key = answerCacheKey(parts);
  return {
    key,
    settings,
    select: {
      sql: `select id, answer from answer_cache where cache_key = ? and expires_at > ? and ${settings.shared ? '(user_id = ? or user_id is null)' : 'user_id = ?'}
            order by created_at desc limit 1`,
      params: [key, now, user.id],
    },
  };
}

/** A cached answer as an answer stream: the same deltas-then-result shape, no upstream. */
export function replayAnswer(text: string): AnswerStream {
  const words = text.match(/\S+\s*|\s+/g) ?? [];
  const size = Math.max(1, Math.ceil(words.length / 6));
  const chunks: string[] = [];
  for (let index = 0; index < words.length; index += size) chunks.push(words.slice(index, index + size).join(''));
  const result: AnswerResult = {
    text,
    finishReason: 'stop',
    aborted: false,
    usage: null,
    latencyMs: 0,
    firstTokenMs: 0,
  };
  return {
    textStream: (async function* () {
      yield* chunks;
    })(),
    result: Promise.resolve(result),
  };
}

export async function recordCacheHit(em: EntityManager, entryId: string) {
  await em.execute('update answer_cache set hits = hits + 1 where id = ?', [entryId]);
}

/** Keeps an answer for `ttlSeconds`: for its asker, or for everyone when sharing is on; replaces an older copy. */
export async function storeAnswer(
  em: EntityManager,
  input: {
    key: string;
    settings: CacheSettingsFields;
    user: Pick<IUser, 'id'>;
    question: string;
    answer: string;
    modelId: string;
    now: Date;
  },
) {
  const owner = input.settings.shared ? null : input.user.id;
  // One statement (atomic on its own): the older copy goes as the new one is written.
  await directSql(em).execute(
    `with replaced as (delete from answer_cache where cache_key = ? and ${owner === null ? 'user_id is null' : 'user_id = ?'})
     insert into answer_cache (id, user_id, asked_by_id, cache_key, question, answer, model, hits, created_at, expires_at)
     values (?, ?, ?, ?, ?, ?, ?, 0, ?, ?)`,
    [
      input.key,
      ...(owner === null ? [] : [owner]),
      randomUUID(),
      owner,
      input.user.id,
      input.key,
      input.question,
      input.answer,
      input.modelId,
      input.now,
      new Date(input.now.getTime() + input.settings.ttlSeconds * 1000),
    ],
  );
}

/** Entries now, and over the period how many answers the cache served against how many went upstream. */
export async function cacheStats(em: EntityManager, period: { from: string; to: string }, now: Date) {
  const [entries] = await em.execute<
    { total: string | number; live: string | number; shared: string | number; hits: string | number | null }[]
  >(
    `select count(*) as total,
            count(*) filter (where expires_at > ?) as live,
            count(*) filter (where user_id is null) as shared,
            sum(hits) as hits
     from answer_cache`,
    [now],
  );
  const [usage] = await em.execute<{ hits: string | number | null; requests: string | number | null }[]>(
    'select sum(cache_hits) as hits, sum(requests) as requests from usage_daily where date between ? and ?',
    [period.from, period.to],
  );
  const hits = Number(usage?.hits ?? 0);
  const requests = Number(usage?.requests ?? 0);
  return {
    entries: {
      total: Number(entries?.total ?? 0),
      live: Number(entries?.live ?? 0),
      expired: Number(entries?.total ?? 0) - Number(entries?.live ?? 0),
      shared: Number(entries?.shared ?? 0),
      hits: Number(entries?.hits ?? 0),
    },
    period: {
      ...period,
      cacheHits: hits,
      upstreamRequests: requests,
      // The share of answers the cache served (a hit is not counted as a request).
      hitRate: hits + requests === 0 ? null : hits / (hits + requests),
    },
  };
}

export async function purgeCache(em: EntityManager, admin: IUser, scope: 'expired' | 'all', now: Date) {
  return em.transactional(async (tx) => {
    const deleted = await tx.nativeDelete(AnswerCache, scope === 'all' ? {} : { expiresAt: { $lte: now } });
    recordAudit(tx, admin.id, 'cache.purge', null, { scope, deleted });
    return { deleted };
  });
}

import { costMicros, proposeMemories, type ProposedMemory } from '@atrium/ai';
import { recordAudit } from '@atrium/auth';
import { Conversation, LimitExceededError, Message, UpstreamError, Model, ROLES, SINGLETON_ID, User, UserPreference, type EntityManager, type IUser, type Role } from '@atrium/db';
import { randomUUID } from 'node:crypto';
import type { ServiceConfig } from '../../context';
import { memorySettings, type MemorySettingsFields } from '../../platform/platform.parts';
import { ancestorIds, messagesInOrder } from '../chat/tree.service';
import { admit, settle } from '../usage/limits.service';

export type { MemorySettingsFields };

/** The newest messages of the branch the assistant reads to learn from (a settled conversation's end). */
const LEARN_FROM_MESSAGES = 20;
/** What one learning call may cost at most, reserved from the month's token budget like a turn. */
const LEARN_RESERVE_TOKENS = 4000;
export const DEFAULT_MEMORY_SETTLE_MS = 10 * 60_000;

export type LearnOutcome = 'off' | 'unsettled' | 'unsuitable' | 'refused' | 'failed' | 'learned';

/** Whether the assistant may learn about this user (their role is switched on by an admin). */
export async function mayLearnAbout(em: EntityManager, user: Pick<IUser, 'role' | 'isBanned'>) {
  if (user.isBanned) return false;
  return (await memorySettings(em)).learnRoles.includes(user.role);
}

/**
 * Reads a settled conversation and adds the durable facts it reveals about its user as suggested
 * memories (`source = inferred`): a pipeline of settled? → allowed? → admit → ask → settle →
 * suggest. The call is admitted and charged to the user like a turn of the same model; a refused
 * admission learns nothing. Sensitive facts never get this far (`proposeMemories` screens them).
 */
export async function learnFromConversation(
  em: EntityManager,
  input: { conversationId: string; leafId: string; modelId: string },
  config: ServiceConfig,
): Promise<LearnOutcome> {
  const [conversation, model] = await Promise.all([em.findOne(Conversation, input.conversationId), em.findOne(Model, input.modelId)]);
  const user = conversation && (await em.findOne(User, conversation.user.id));
  if (!conversation || !model || !user) return 'unsettled';
  if (!(await mayLearnAbout(em, user))) return 'off';
  if (!(await isSettled(em, input))) return 'unsettled';
  // The Demo model cannot read a conversation for facts; a drawing model cannot answer in text.
  if (model.provider === 'demo' || model.supportsImageGeneration || !model.enabled) return 'unsuitable';

  const branch = await ancestorIds(em, input.conversationId, input.leafId, LEARN_FROM_MESSAGES);
  const messages = await messagesInOrder(em, branch.map((row) => row.id).reverse());
  const known = await em.find(UserPreference, { user: user.id }, { fields: ['key'] });

  let reservation;
  try {
    reservation = await admit(em, { user, model, reserveTokens: LEARN_RESERVE_TOKENS, now: config.now(), timeZone: config.usageTimeZone });
  } catch (error) {
    if (error instanceof LimitExceededError) return 'refused';
    throw error;
  }
  let proposed;
  try {
    proposed = await proposeMemories({
      model,
      settings: config.providers,
      messages: messages.map(({ role, content }) => ({ role, content })),
      knownKeys: known.map((preference) => preference.key),
      timeoutMs: config.llm.timeoutMs,
    });
  } catch (error) {
    await settle(em, reservation, { outcome: 'failed' });
    if (error instanceof UpstreamError) return 'failed';
    throw error;
  }
  await em.transactional(async (tx) => {
    const usage = proposed.usage ?? { promptTokens: 0, completionTokens: 0 };
    await settle(tx, reservation, { outcome: 'completed', ...usage, costMicros: costMicros(model, usage), estimated: proposed.usage === null });
    await suggest(tx, user, proposed.memories, config.now());
  });
  return 'learned';
}

/** Settled: the leaf is still the conversation's newest message (a later turn learns in its place). */
async function isSettled(em: EntityManager, input: { conversationId: string; leafId: string }) {
  const leaf = await em.findOne(Message, { id: input.leafId, conversation: input.conversationId });
  if (!leaf) return false;
  return (await em.count(Message, { conversation: input.conversationId, createdAt: { $gt: leaf.createdAt } })) === 0;
}

/**
 * New suggestions, or kept memories at once for a user who turned on auto-keep. A key the user
 * already has (kept, suggested or discarded) is left alone: the unique (user, key) decides, so two
 * jobs racing cannot suggest the same key twice.
 */
async function suggest(tx: EntityManager, user: IUser, memories: readonly ProposedMemory[], now: Date) {
  const status = user.memoryAutoKeep ? 'kept' : 'suggested';
  for (const memory of memories) {
    await tx.execute(
      `insert into user_preferences (id, user_id, key, value, category, source, is_active, status, created_at, updated_at)
       values (?, ?, ?, ?, ?, 'inferred', ?, ?, ?, ?) on conflict (user_id, key) do nothing`,
      [randomUUID(), user.id, memory.key, memory.value, memory.category, status === 'kept', status, now, now],
    );
  }
}

/** What admins set: the roles the assistant may learn about. */
export const loadMemorySettings = (em: EntityManager) => memorySettings(em);

export async function updateMemorySettings(em: EntityManager, admin: IUser, fields: MemorySettingsFields) {
  const learnRoles: Role[] = ROLES.filter((role) => fields.learnRoles.includes(role));
  await em.transactional(async (tx) => {
    await tx.execute('insert into memory_settings (id, updated_at) values (?, ?) on conflict (id) do nothing', [SINGLETON_ID, new Date()]);
    const before = await tx.execute<{ learn_roles: Role[] }[]>('select learn_roles from memory_settings where id = ?', [SINGLETON_ID]);
    recordAudit(tx, admin.id, 'memorySettings.update', null, { from: { learnRoles: before[0]?.learn_roles ?? [] }, to: { learnRoles } });
    await tx.execute('update memory_settings set learn_roles = ?::jsonb, updated_at = ? where id = ?', [JSON.stringify(learnRoles), new Date(), SINGLETON_ID]);
  });
  return loadMemorySettings(em);
}

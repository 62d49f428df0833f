import { ConflictError, NotFoundError, User, UserPreference, type EntityManager, type IUser, type PreferenceStatus } from '@atrium/db';

export type PreferenceFields = { key: string; value: string; category: string };

const duplicateKey = (key: string) => new ConflictError(`You already have a memory called “${key}”.`);

/** The database's unique (user, key) is the judge, so two tabs cannot both add the same key. */
const isUniqueViolation = (error: unknown) =>
  (error as { name?: string } | null)?.name === 'UniqueConstraintViolationException' ||
  (error as { code?: string } | null)?.code === '23505';

/** My memories and the assistant's suggestions; a discarded suggestion is only a key that stops it coming back. */
export async function listMyPreferences(em: EntityManager, user: IUser) {
  return em.find(UserPreference, { user: user.id, status: { $ne: 'discarded' } }, { orderBy: { category: 'asc', key: 'asc' } });
}

async function findOwnPreference(em: EntityManager, user: IUser, id: string, status?: PreferenceStatus) {
  const preference = await em.findOne(UserPreference, { id, user: user.id, status: status ?? { $ne: 'discarded' } });
  if (!preference) throw new NotFoundError('No such memory.');
  return preference;
}

/** Something the user told the assistant to remember: explicit and active from the start. */
export async function createPreference(em: EntityManager, user: IUser, fields: PreferenceFields) {
  // A key the user once turned down as a suggestion is theirs to use now.
  await em.nativeDelete(UserPreference, { user: user.id, key: fields.key, status: 'discarded' });
  const preference = em.create(UserPreference, { ...fields, user: user.id, source: 'explicit', isActive: true });
  try {
    await em.flush();
  } catch (error) {
    if (isUniqueViolation(error)) throw duplicateKey(fields.key);
    throw error;
  }
  return preference;
}

export async function updatePreference(em: EntityManager, user: IUser, id: string, changes: Partial<PreferenceFields>) {
  const preference = await findOwnPreference(em, user, id);
  em.assign(preference, Object.fromEntries(Object.entries(changes).filter(([, value]) => value !== undefined)));
  try {
    await em.flush();
  } catch (error) {
    if (isUniqueViolation(error)) throw duplicateKey(changes.key ?? preference.key);
    throw error;
  }
  return preference;
}

/** An inactive memory is kept but no longer reaches the system prompt. */
export async function setPreferenceActive(em: EntityManager, user: IUser, id: string, isActive: boolean) {
  const preference = await findOwnPreference(em, user, id);
  preference.isActive = isActive;
  await em.flush();
  return preference;
}

export async function deletePreference(em: EntityManager, user: IUser, id: string) {
  if (!(await em.nativeDelete(UserPreference, { id, user: user.id }))) throw new NotFoundError('No such memory.');
}

/** A suggestion the user keeps, as suggested or edited: from now on it is a memory like any other. */
export async function keepSuggestion(em: EntityManager, user: IUser, id: string, changes: Partial<PreferenceFields>) {
  const preference = await findOwnPreference(em, user, id, 'suggested');
  em.assign(preference, { ...Object.fromEntries(Object.entries(changes).filter(([, value]) => value !== undefined)), status: 'kept', isActive: true });
  try {
    await em.flush();
  } catch (error) {
    if (isUniqueViolation(error)) throw duplicateKey(changes.key ?? preference.key);
    throw error;
  }
  return preference;
}

/** A suggestion the user turns down: its text is forgotten, its key stays so it is not suggested again. */
export async function discardSuggestion(em: EntityManager, user: IUser, id: string) {
  const preference = await findOwnPreference(em, user, id, 'suggested');
  em.assign(preference, { status: 'discarded', value: '', isActive: false });
  await em.flush();
}

/** Whether what the assistant learns about me is kept at once (and used) instead of waiting for my yes. */
export async function setAutoKeep(em: EntityManager, user: IUser, autoKeep: boolean) {
  await em.nativeUpdate(User, { id: user.id }, { memoryAutoKeep: autoKeep });
  return autoKeep;
}

import { asJson, ForbiddenError, holdsUnlock, Model, NotFoundError, Preset, type EntityManager, type IPreset, type IUser } from '@atrium/db';
import { recordAudit } from '@atrium/auth';

export type PresetFields = {
  name: string;
  description: string | null;
  systemPromptTemplate: string;
  temperature: number | null;
  maxTokens: number | null;
  modelId: string | null;
  /** Global presets only: the unlock key a user must hold to see and use it. */
  requiredUnlock?: string | null;
};

/** Global presets (those behind an unlock key only for its holders) plus the user's own custom styles. */
export async function listUsablePresets(em: EntityManager, user: IUser) {
  const presets = await em.find(Preset, { $or: [{ isGlobal: true }, { owner: user.id }] }, { orderBy: { isGlobal: 'desc', name: 'asc' } });
  return presets.filter((preset) => holdsUnlock(user, preset.requiredUnlock));
}

/** One preset the user may use, or null: someone else's style and a locked preset look missing. */
export async function findUsablePreset(em: EntityManager, user: IUser, id: string) {
  const preset = await em.findOne(Preset, { id, $or: [{ isGlobal: true }, { owner: user.id }] });
  return preset && holdsUnlock(user, preset.requiredUnlock) ? preset : null;
}

/**
 * A preset as a chat turn uses it: read by a statement the turn sends anyway (`usablePresetJson`),
 * not as an entity.
 */
export type TurnPreset = Pick<IPreset, 'id' | 'name' | 'systemPromptTemplate' | 'temperature' | 'maxTokens' | 'requiredUnlock' | 'updatedAt'> & {
  model: { id: string } | null;
};

/**
 * A SQL expression for another statement's select list: the preset `idSql` names as JSON when the
 * user `userSql` names may use it (a global preset, or their own style), else null. The same rule
 * as `findUsablePreset`, ownership in the query; the unlock key is checked by `usableTurnPreset`.
 */
export const usablePresetJson = (idSql: string, userSql: string) =>
  `(select json_build_object('id', p.id, 'name', p.name, 'systemPromptTemplate', p.system_prompt_template, 'temperature', p.temperature,
      'maxTokens', p.max_tokens, 'modelId', p.model_id, 'requiredUnlock', p.required_unlock, 'updatedAt', p.updated_at)
    from presets p where p.id = ${idSql} and (p.is_global or p.owner_id = ${userSql}))`;

type PresetJson = Omit<TurnPreset, 'model' | 'updatedAt'> & { modelId: string | null; updatedAt: string };

/** What `usablePresetJson` read (JSON comes parsed on PostgreSQL, as text on PGlite), or null: a locked preset looks missing. */
export function usableTurnPreset(user: IUser, read: PresetJson | string | null | undefined): TurnPreset | null {
  if (read == null) return null;
  const { modelId, updatedAt, ...preset } = asJson(read);
  if (!holdsUnlock(user, preset.requiredUnlock)) return null;
  return { ...preset, model: modelId === null ? null : { id: modelId }, updatedAt: new Date(updatedAt) };
}

export async function listGlobalPresets(em: EntityManager) {
  return em.find(Preset, { isGlobal: true }, { orderBy: { name: 'asc' } });
}

async function modelRef(em: EntityManager, modelId: string | null) {
  if (!modelId) return null;
  const model = await em.findOne(Model, { id: modelId });
  if (!model) throw new NotFoundError('No such model.');
  return model;
}

function apply(preset: IPreset, fields: Partial<PresetFields>, model: unknown) {
  const { modelId, ...rest } = fields;
  Object.assign(preset, Object.fromEntries(Object.entries(rest).filter(([, value]) => value !== undefined)));
  if (modelId !== undefined) preset.model = model as never;
}

/** An admin may withhold custom styles from a user (permissions.useCustomStyles = false). */
function assertMayUseCustomStyles(user: IUser) {
  if (user.permissions?.useCustomStyles === false) throw new ForbiddenError('Custom styles are turned off for your account.');
}

/** A user's own preset (custom style); owner is always the caller. */
export async function createOwnPreset(em: EntityManager, user: IUser, fields: PresetFields) {
  assertMayUseCustomStyles(user);
  const { modelId, ...rest } = fields;
  const preset = em.create(Preset, { ...rest, model: await modelRef(em, modelId), owner: user.id, isGlobal: false });
  await em.flush();
  return preset;
}

export async function updateOwnPreset(em: EntityManager, user: IUser, id: string, fields: Partial<PresetFields>) {
  assertMayUseCustomStyles(user);
  const preset = await em.findOne(Preset, { id, owner: user.id, isGlobal: false });
  if (!preset) throw new NotFoundError('No such preset.');
  apply(preset, fields, fields.modelId !== undefined ? await modelRef(em, fields.modelId) : undefined);
  await em.flush();
  return preset;
}

export async function deleteOwnPreset(em: EntityManager, user: IUser, id: string) {
  if (!(await em.nativeDelete(Preset, { id, owner: user.id, isGlobal: false }))) throw new NotFoundError('No such preset.');
}

export async function createGlobalPreset(em: EntityManager, admin: IUser, fields: PresetFields) {
  return em.transactional(async (tx) => {
    const { modelId, ...rest } = fields;
    const preset = tx.create(Preset, { ...rest, model: await modelRef(tx, modelId), owner: null, isGlobal: true });
    recordAudit(tx, admin.id, 'preset.create', preset.id, { name: fields.name });
    return preset;
  });
}

export async function updateGlobalPreset(em: EntityManager, admin: IUser, id: string, fields: Partial<PresetFields>) {
  return em.transactional(async (tx) => {
    const preset = await tx.findOne(Preset, { id, isGlobal: true });
    if (!preset) throw new NotFoundError('No such preset.');
    apply(preset, fields, fields.modelId !== undefined ? await modelRef(tx, fields.modelId) : undefined);
    recordAudit(tx, admin.id, 'preset.update', preset.id, fields);
    return preset;
  });
}

export async function deleteGlobalPreset(em: EntityManager, admin: IUser, id: string) {
  await em.transactional(async (tx) => {
    if (!(await tx.nativeDelete(Preset, { id, isGlobal: true }))) throw new NotFoundError('No such preset.');
    recordAudit(tx, admin.id, 'preset.delete', id);
  });
}

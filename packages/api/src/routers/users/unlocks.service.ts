import { Model, Preset, type EntityManager } from '@atrium/db';

/** Holders listed per key at most; the count says how many there are in all. */
export const HOLDERS_SHOWN = 200;

/**
 * Every unlock key in use, what it opens (models, global presets) and who holds it: the keys
 * that gate something and the keys users hold, so a key that opens nothing shows up too.
 */
export async function unlockOverview(em: EntityManager) {
  const [models, presets, held] = await Promise.all([
    em.find(Model, { requiredUnlock: { $ne: null } }, { orderBy: { sortOrder: 'asc', displayName: 'asc' } }),
    em.find(Preset, { isGlobal: true, requiredUnlock: { $ne: null } }, { orderBy: { name: 'asc' } }),
    em.execute<{ key: string; id: string; username: string; display_name: string; total: string | number }[]>(
      `select key, id, username, display_name, total from (
         select k.key, u.id, u.username, u.display_name,
                row_number() over (partition by k.key order by u.username) as n,
                count(*) over (partition by k.key) as total
           from users u cross join lateral jsonb_each(u.unlocks) k
          where k.value = 'true'::jsonb
       ) held where n <= ? order by key, username`,
      [HOLDERS_SHOWN],
    ),
  ]);
  const keys = new Map<string, { key: string; models: { id: string; displayName: string }[]; presets: { id: string; name: string }[]; holders: { id: string; username: string; displayName: string }[]; holderCount: number }>();
  const entry = (key: string) => {
    let found = keys.get(key);
    if (!found) keys.set(key, (found = { key, models: [], presets: [], holders: [], holderCount: 0 }));
    return found;
  };
  for (const model of models) entry(model.requiredUnlock!).models.push({ id: model.id, displayName: model.displayName });
  for (const preset of presets) entry(preset.requiredUnlock!).presets.push({ id: preset.id, name: preset.name });
  for (const row of held) {
    const found = entry(row.key);
    found.holders.push({ id: row.id, username: row.username, displayName: row.display_name });
    found.holderCount = Number(row.total);
  }
  return [...keys.values()].sort((a, b) => a.key.localeCompare(b.key));
}

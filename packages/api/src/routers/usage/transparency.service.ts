import { recordAudit } from '@atrium/auth';
import { ROLES, SINGLETON_ID, TransparencySettings, type EntityManager, type IUser, type Role } from '@atrium/db';
import { transparencySettings, type TransparencyFields } from '../../platform/platform.parts';

export type { TransparencyFields };

/** What admins set: which roles see tokens and cost under each answer. */
export const loadTransparencySettings = (em: EntityManager) => transparencySettings(em);

export async function updateTransparencySettings(em: EntityManager, admin: IUser, fields: TransparencyFields) {
  const answerUsageRoles = ROLES.filter((role) => fields.answerUsageRoles.includes(role));
  await em.transactional(async (tx) => {
    // Inserted with its defaults first if no seed ever made it, so the update below always has a row.
    await tx.execute('insert into transparency_settings (id, updated_at) values (?, ?) on conflict (id) do nothing', [SINGLETON_ID, new Date()]);
    const row = await tx.findOneOrFail(TransparencySettings, SINGLETON_ID, { refresh: true });
    recordAudit(tx, admin.id, 'transparencySettings.update', null, { from: { answerUsageRoles: row.answerUsageRoles }, to: { answerUsageRoles } });
    row.answerUsageRoles = answerUsageRoles;
    await tx.flush();
  });
  return loadTransparencySettings(em);
}

/** A user's own `seeAnswerUsage` permission beats their role's default. */
export const maySeeAnswerUsage = (user: Pick<IUser, 'role' | 'permissions'>, settings: { answerUsageRoles: readonly Role[] }) =>
  user.permissions?.seeAnswerUsage ?? settings.answerUsageRoles.includes(user.role);

/** Whether this user may be sent tokens and cost of their answers (read from the platform cache: no query per turn). */
export async function answerUsageVisible(em: EntityManager, user: Pick<IUser, 'role' | 'permissions'>) {
  return maySeeAnswerUsage(user, await transparencySettings(em));
}

import { AuditEvent, type EntityManager } from '@atrium/db';

/** Records an admin action; call it inside the same transaction as the change it describes. */
export function recordAudit(
  em: EntityManager,
  actorId: string,
  action: string,
  target: string | null,
  data: Record<string, unknown> = {},
) {
  em.create(AuditEvent, { actor: actorId, action, target, data });
}

import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

/**
 * Failed sign-ins per key (`user:<name>` or `ip:<address>`) in the current window. Kept in the
 * database so the throttle holds across server processes.
 */
export const LoginThrottle = defineEntity({
  name: 'LoginThrottle',
  tableName: 'login_throttles',
  properties: {
    key: p.string().length(300).primary(),
    failures: p.integer().default(0),
    windowStartedAt: p.datetime(),
  },
});
export type ILoginThrottle = InferEntity<typeof LoginThrottle>;

import { createSession } from '@atrium/auth';
import { Session } from '@atrium/db';
import { testDatabaseKinds } from '@atrium/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiTestKit, type ApiTestKit } from '../../testing';

describe.each(testDatabaseKinds())('sessions router on %s', (kind) => {
  let kit: ApiTestKit;
  beforeAll(async () => {
    kit = await createApiTestKit(kind);
  });
  afterAll(() => kit?.close());

  it('lists my sessions with the current one marked, and none of anyone else', async () => {
    const me = await kit.signedIn();
    await createSession(kit.db.orm.em.fork(), me.user, { type: 'remember_token', userAgent: 'Firefox on phone' }, kit.clock);
    const someoneElse = await kit.signedIn();
    const sessions = await me.caller.sessions.list();
    expect(sessions).toHaveLength(2);
    expect(sessions.filter((session) => session.current).map((session) => session.id)).toEqual([me.session.id]);
    expect(sessions.map((session) => session.id)).not.toContain(someoneElse.session.id);
    expect(sessions.find((session) => !session.current)).toMatchObject({ type: 'remember_token', userAgent: 'Firefox on phone' });
  });

  it("answers NOT_FOUND for another user's session id and leaves it alive", async () => {
    const me = await kit.signedIn();
    const victim = await kit.signedIn();
    await expect(me.caller.sessions.revoke({ id: victim.session.id })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(await kit.db.orm.em.fork().count(Session, { id: victim.session.id })).toBe(1);
  });

  it('revokes one of my sessions, then all the others but the current one', async () => {
    const me = await kit.signedIn();
    const em = kit.db.orm.em.fork();
    const phone = await createSession(em, me.user, { type: 'remember_token' }, kit.clock);
    await createSession(em, me.user, { type: 'active_session' }, kit.clock);
    await createSession(em, me.user, { type: 'active_session' }, kit.clock);
    await me.caller.sessions.revoke({ id: phone.session.id });
    expect(await me.caller.sessions.revokeOthers()).toEqual({ revoked: 2 });
    expect((await me.caller.sessions.list()).map((session) => session.id)).toEqual([me.session.id]);
  });

  it('rejects a malformed session id with BAD_REQUEST and a field error', async () => {
    const me = await kit.signedIn();
    await expect(me.caller.sessions.revoke({ id: 'not-a-session' })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });
});

import { AiIdentity, SINGLETON_ID } from '@atrium/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiTestKit, type ApiTestKit } from '../../testing';

describe('identity router', () => {
  let kit: ApiTestKit;
  beforeAll(async () => {
    kit = await createApiTestKit();
  });
  afterAll(() => kit?.close());

  it('is readable by anyone and editable by admins, bumping its revision', async () => {
    const admin = await kit.signedIn('admin');
    const before = await kit.anonymous().identity.get();
    const next = {
      displayName: 'Bilge',
      developerName: 'Example University IT',
      productFamily: 'Campus AI',
      shortIntro: 'I help with coursework.',
      forbidProviderMention: true,
    };
    expect(await admin.caller.identity.set(next)).toMatchObject(next);
    expect(await kit.anonymous().identity.get()).toMatchObject(next);
    const stored = await kit.db.orm.em.fork().findOneOrFail(AiIdentity, SINGLETON_ID);
    expect(stored.revision).toBeGreaterThan(1);
    expect(before.displayName).toBe('Atrium');
  });

  it('refuses an empty name', async () => {
    const admin = await kit.signedIn('admin');
    await expect(
      admin.caller.identity.set({ displayName: ' ', developerName: 'x', productFamily: 'x', shortIntro: 'x', forbidProviderMention: false }),
    ).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });
});

import { createApiTestKit, type ApiTestKit } from '@atrium/api/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fieldIssue, fieldRefusal, toRefusal } from './form.server';

describe('turning API refusals into form answers', () => {
  let kit: ApiTestKit;
  beforeAll(async () => {
    kit = await createApiTestKit();
  });
  afterAll(() => kit?.close());

  const refusalOf = async (call: Promise<unknown>, submitted?: Record<string, unknown>) => {
    const error = await call.then(
      () => null,
      (caught: unknown) => caught,
    );
    return toRefusal(error, submitted);
  };

  it("reports the API's own validation per field, without its English wording", async () => {
    const submitted = { code: 'AB', username: 'x', displayName: '', email: 'not-an-email', password: 'short' };
    const refusal = await refusalOf(kit.anonymous().auth.register(submitted), submitted);
    expect(refusal.code).toBe('BAD_REQUEST');
    expect(refusal.fields).toEqual({
      code: { kind: 'tooShort', min: 4 },
      username: { kind: 'tooShort', min: 3 },
      displayName: { kind: 'required' },
      email: { kind: 'email' },
      password: { kind: 'tooShort', min: 10 },
    });
  });

  it('says "required" for a blank field whatever its minimum length', async () => {
    const submitted = { code: '', username: 'someone', displayName: 'Someone', password: 'long enough password' };
    const refusal = await refusalOf(kit.anonymous().auth.register(submitted), submitted);
    expect(refusal.fields).toEqual({ code: { kind: 'required' } });
  });

  it('keeps the code of a refusal that is not about fields', async () => {
    const refusal = await refusalOf(kit.anonymous().auth.signIn({ username: 'nobody', password: 'wrong', rememberMe: false, adminOnly: false }));
    expect(refusal).toMatchObject({ code: 'UNAUTHORIZED', fields: {}, resetsAt: null });
  });

  it('says when a sign-in throttle lifts', async () => {
    const caller = kit.anonymous();
    const attempt = () => caller.auth.signIn({ username: 'throttled', password: 'wrong', rememberMe: false, adminOnly: false });
    for (let i = 0; i < 5; i++) await attempt().catch(() => {});
    const refusal = await refusalOf(attempt());
    expect(refusal.code).toBe('TOO_MANY_REQUESTS');
    expect(Date.parse(refusal.resetsAt ?? '')).toBeGreaterThan(kit.clock().getTime());
  });

  it('throws on anything a form cannot show', () => {
    const bug = new Error('boom');
    expect(() => toRefusal(bug)).toThrow(bug);
    const internal = Object.assign(new Error('db down'), { name: 'TRPCError', code: 'INTERNAL_SERVER_ERROR' });
    expect(() => toRefusal(internal)).toThrow(internal);
  });

  it('words numbers out of range as invalid, not as lengths', () => {
    expect(fieldIssue({ code: 'too_small', path: ['n'], origin: 'number', minimum: 0 })).toEqual({ kind: 'invalid' });
    expect(fieldIssue({ code: 'too_big', path: ['s'], origin: 'string', maximum: 64 })).toEqual({ kind: 'tooLong', max: 64 });
    expect(fieldRefusal({ confirm: { kind: 'mismatch' } }).fields.confirm).toEqual({ kind: 'mismatch' });
  });
});

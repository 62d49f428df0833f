import { describe, expect, it } from 'vitest';
import { expiryFrom, inviteStatus } from './invite-form';

describe("a new invite's expiry", () => {
  const now = new Date('2026-11-23T10:00:00Z');

  it('is the chosen number of days from now', () => {
    expect(expiryFrom('7', now)).toEqual(new Date('2026-11-30T10:00:00Z'));
    expect(expiryFrom('1', now)).toEqual(new Date('2026-11-24T10:00:00Z'));
  });

  it('is never for "never" and for anything not offered', () => {
    expect(expiryFrom('', now)).toBeNull();
    expect(expiryFrom(null, now)).toBeNull();
    expect(expiryFrom('3', now)).toBeNull();
    expect(expiryFrom('-7', now)).toBeNull();
  });
});

describe("an invite's status word", () => {
  it('is one the page knows how to show', () => {
    expect(inviteStatus('used')).toBe('used');
    expect(inviteStatus('expired')).toBe('expired');
    expect(inviteStatus('something new')).toBe('open');
  });
});

import { describe, expect, it } from 'vitest';
import { banEnd } from './ban-form';

describe('banEnd', () => {
  const now = new Date('2026-11-29T10:00:00Z');
  it('turns a picked duration into an end time', () => {
    expect(banEnd('day', now)).toEqual(new Date('2026-11-30T10:00:00Z'));
    expect(banEnd('hour', now)).toEqual(new Date('2026-11-29T11:00:00Z'));
  });
  it('has no end for "until lifted" or anything unknown', () => {
    expect(banEnd('forever', now)).toBeNull();
    expect(banEnd('toString', now)).toBeNull();
    expect(banEnd(null, now)).toBeNull();
  });
});

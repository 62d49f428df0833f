import { describe, expect, it } from 'vitest';
import { splitTtl, ttlSeconds } from './ttl';

describe('the cache’s keep-for duration', () => {
  it('reads in the largest whole unit', () => {
    expect(splitTtl(7 * 86_400)).toEqual({ value: 7, unit: 'days' });
    expect(splitTtl(36 * 3_600)).toEqual({ value: 36, unit: 'hours' });
    expect(splitTtl(90 * 60)).toEqual({ value: 90, unit: 'minutes' });
    expect(splitTtl(90)).toEqual({ value: 1.5, unit: 'minutes' });
  });

  it('turns a number of units back into seconds, and nonsense into NaN', () => {
    expect(ttlSeconds(2, 'hours')).toBe(7_200);
    expect(ttlSeconds(1.5, 'minutes')).toBe(90);
    expect(ttlSeconds(3, 'weeks')).toBeNaN();
    expect(ttlSeconds(Number.NaN, 'days')).toBeNaN();
  });
});

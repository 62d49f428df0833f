import { describe, expect, it } from 'vitest';
import { trustProxySetting } from './stack';

describe('TRUST_PROXY', () => {
  it('becomes what express expects: a flag, a hop count, or addresses', () => {
    expect(trustProxySetting('true')).toBe(true);
    expect(trustProxySetting('false')).toBe(false);
    expect(trustProxySetting('2')).toBe(2);
    expect(trustProxySetting('loopback')).toBe('loopback');
    expect(trustProxySetting('10.0.0.0/8, loopback')).toBe('10.0.0.0/8, loopback');
  });
});

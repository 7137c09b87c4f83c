import { describe, expect, it } from 'vitest';
import { createLoginThrottle } from '../../src/web/login-throttle.js';

describe('createLoginThrottle', () => {
  it('lets a client try again once its oldest failure in the window is old enough', () => {
    let nowMs = 0;
    const throttle = createLoginThrottle({ maxFailures: 3, windowMs: 1_000, now: () => nowMs });
    for (const at of [0, 100, 200]) {
      nowMs = at;
      expect(throttle.retryAfterMs('1.2.3.4')).toBe(0);
      throttle.failed('1.2.3.4');
    }
    nowMs = 300;
    expect(throttle.retryAfterMs('1.2.3.4')).toBe(700);
    expect(throttle.retryAfterMs('::ffff:1.2.3.4')).toBe(700);
    expect(throttle.retryAfterMs('5.6.7.8')).toBe(0);
    nowMs = 1_000;
    expect(throttle.retryAfterMs('1.2.3.4')).toBe(0);
    throttle.failed('1.2.3.4');
    expect(throttle.retryAfterMs('1.2.3.4')).toBe(100);
  });

  it('counts an IPv6 client per /64', () => {
    const throttle = createLoginThrottle({ maxFailures: 2, now: () => 0 });
    throttle.failed('2001:db8:1:2::1');
    throttle.failed('2001:db8:1:2:ffff::9');
    expect(throttle.retryAfterMs('2001:db8:1:2::abcd')).toBeGreaterThan(0);
    expect(throttle.retryAfterMs('2001:db8:1:3::1')).toBe(0);
  });

  it('remembers a bounded number of clients, forgetting the longest quiet first', () => {
    let nowMs = 0;
    const throttle = createLoginThrottle({
      maxFailures: 1,
      windowMs: 60_000,
      maxClients: 100,
      now: () => nowMs,
    });
    for (let i = 0; i < 10_000; i++) {
      nowMs = i;
      throttle.failed(`10.0.${i >> 8}.${i & 255}`);
    }
    expect(throttle.retryAfterMs('10.0.39.15')).toBeGreaterThan(0); // the last one, i = 9999
    expect(throttle.retryAfterMs('10.0.0.0')).toBe(0); // forgotten
    let remembered = 0;
    for (let i = 0; i < 10_000; i++) if (throttle.retryAfterMs(`10.0.${i >> 8}.${i & 255}`) > 0) remembered++;
    expect(remembered).toBe(100);
  });
});

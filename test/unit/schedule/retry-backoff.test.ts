import { describe, expect, it } from 'vitest';
import { MAX_RETRY_DELAY_MS, retryDelayMs } from '../../../src/schedule/retry-backoff.js';
import { seededRandom } from '../../../src/util/seeded-random.js';

describe('retryDelayMs', () => {
  it('doubles per failure, between half the ceiling and the ceiling', () => {
    expect(retryDelayMs(1, 2_000, () => 0)).toBe(1_000);
    expect(retryDelayMs(1, 2_000, () => 0.999_999)).toBe(1_999);
    expect(retryDelayMs(2, 2_000, () => 0)).toBe(2_000);
    expect(retryDelayMs(4, 2_000, () => 0)).toBe(8_000);
  });

  it('never exceeds the cap, even after 50 failures', () => {
    expect(retryDelayMs(50, 600_000, () => 0.999_999)).toBeLessThan(MAX_RETRY_DELAY_MS);
    expect(retryDelayMs(50, 600_000, () => 0)).toBe(MAX_RETRY_DELAY_MS / 2);
  });

  it('spreads jobs that failed together', () => {
    const random = seededRandom(7);
    const delays = new Set(Array.from({ length: 20 }, () => retryDelayMs(3, 2_000, random)));
    expect(delays.size).toBeGreaterThan(15);
    for (const d of delays) expect(d).toBeGreaterThanOrEqual(4_000);
  });
});

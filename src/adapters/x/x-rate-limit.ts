import type { TwitterRateLimit } from 'twitter-api-v2';
import type { XRateLimitSnapshot } from '../../ports/x-port.js';

/**
 * Converts twitter-api-v2's parsed rate-limit headers (reset in epoch seconds) to the port's snapshot
 * (epoch ms). The 24-hour budget is the per-user one (`x-user-limit-24hour-*`) when present, else the
 * per-app one (`x-app-limit-24hour-*`).
 */
export function toRateLimitSnapshot(rateLimit: TwitterRateLimit | undefined): XRateLimitSnapshot | undefined {
  if (!rateLimit) return undefined;
  const day = rateLimit.userDay ?? rateLimit.day;
  const window = isComplete(rateLimit)
    ? { limit: rateLimit.limit, remaining: rateLimit.remaining, resetAtMs: rateLimit.reset * 1000 }
    : undefined;
  const daily =
    day && isComplete(day)
      ? { limit: day.limit, remaining: day.remaining, resetAtMs: day.reset * 1000 }
      : undefined;
  if (!window && !daily) return undefined;
  return { ...(window ? { window } : {}), ...(daily ? { day: daily } : {}) };
}

function isComplete(limit: { limit: number; remaining: number; reset: number }): boolean {
  return Number.isFinite(limit.limit) && Number.isFinite(limit.remaining) && Number.isFinite(limit.reset);
}

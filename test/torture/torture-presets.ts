import type { TortureOptions } from './torture-run.js';

/**
 * The short run CI does (`test/integration/delivery/torture.test.ts`, `npm run torture -- --short`):
 * 25 stories, 3 kill -9, 1 Redis restart, a fifth of the platform calls faulted, well under 60 s on two
 * slow cores.
 */
export function shortTorture(seed: number): TortureOptions {
  return {
    seed,
    stories: 25,
    kills: 3,
    redisRestarts: 1,
    chaosMs: 14_000,
    workers: 2,
    actionsPerStory: 1.2,
    faultRate: 0.2,
    settleMs: 20_000,
  };
}

import type { TortureOptions } from './torture-run.js';

/**
 * The short run CI does (`test/integration/delivery/torture.test.ts`, `npm run torture -- --short`):
 * 25 stories, 3 kill -9, 1 Redis restart, a fifth of the platform calls faulted: about 31 s on two quiet
 * cores, 44 s beside two CPU-bound processes. The settle phase ends as soon as everything is quiet; its
 * 40 s are a budget for a loaded CI machine, not a wait.
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
    settleMs: 40_000,
  };
}

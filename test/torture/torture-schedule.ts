import { seededRandom } from '../../src/util/seeded-random.js';
import type { ActionKind, Platform } from './torture-model.js';

/** The size of a torture run; everything else follows from the seed. */
export interface TortureSize {
  readonly seed: number;
  readonly stories: number;
  /** `kill -9` of a worker process, at random moments of the chaos phase. */
  readonly kills: number;
  /** Redis crashes (SIGKILL) and restarts from its append-only file. */
  readonly redisRestarts: number;
  /** Length of the chaos phase (actions, faults, kills, restarts), ms. */
  readonly chaosMs: number;
  /** Worker processes running at once. */
  readonly workers: number;
  /** Follow-up editor actions per story, on average. */
  readonly actionsPerStory: number;
}

/** How a story enters the desk. */
export type CreateHow = 'queue' | 'schedule' | 'now' | 'breaking' | 'embargo';

/** One step of a run, at `atMs` after the chaos phase starts. */
export type Step =
  | {
      readonly kind: 'create';
      readonly atMs: number;
      readonly n: number;
      readonly how: CreateHow;
      /** For `schedule` and `embargo`: how far ahead, ms. */
      readonly aheadMs: number;
    }
  | {
      readonly kind: 'act';
      readonly atMs: number;
      readonly n: number;
      readonly action: Exclude<ActionKind, 'queue'>;
      /** One destination, or every destination of the story. */
      readonly destination?: Platform;
      /** For `schedule`, `reschedule` and `embargo`: how far ahead, ms. */
      readonly aheadMs: number;
    }
  | { readonly kind: 'kill'; readonly atMs: number; readonly worker: number }
  | { readonly kind: 'redis-restart'; readonly atMs: number; readonly downMs: number };

const CREATE_WEIGHTS: readonly (readonly [CreateHow, number])[] = [
  ['schedule', 5],
  ['now', 3],
  ['breaking', 1],
  ['embargo', 1],
  ['queue', 0.5],
];

const ACTION_WEIGHTS: readonly (readonly [Exclude<ActionKind, 'queue'>, number])[] = [
  ['reschedule', 3],
  ['schedule', 1],
  ['now', 2],
  ['breaking', 1],
  ['embargo', 1],
  ['cancel', 2],
  ['skip', 1],
  ['retry', 2],
  ['edit', 2],
  ['mark-posted', 2],
];

function pick<T>(random: () => number, weighted: readonly (readonly [T, number])[]): T {
  const total = weighted.reduce((sum, [, w]) => sum + w, 0);
  let r = random() * total;
  for (const [value, w] of weighted) {
    r -= w;
    if (r < 0) return value;
  }
  return weighted[weighted.length - 1]![0];
}

/**
 * The run's steps, in order: deterministic given the size (the seed included), so a seed replays the same
 * editor actions, kills and restarts at the same offsets (what the system does in between depends on
 * timing). Stories are created over the first 70 % of the chaos phase; follow-up actions hit a story
 * after it was created; kills and restarts are spread over the whole phase.
 */
export function tortureSchedule(size: TortureSize): Step[] {
  const random = seededRandom(size.seed);
  const steps: Step[] = [];
  const createdAt: number[] = [];
  for (let n = 1; n <= size.stories; n++) {
    const atMs = Math.round(random() * size.chaosMs * 0.7);
    createdAt[n] = atMs;
    steps.push({ kind: 'create', atMs, n, how: pick(random, CREATE_WEIGHTS), aheadMs: aheadMs(random) });
  }
  const actions = Math.round(size.stories * size.actionsPerStory);
  for (let i = 0; i < actions; i++) {
    const n = 1 + Math.floor(random() * size.stories);
    const from = createdAt[n] ?? 0;
    // Most follow-ups come soon after the story was created, while it is still in flight.
    const atMs = Math.round(from + random() ** 2 * (size.chaosMs - from));
    const action = pick(random, ACTION_WEIGHTS);
    const side = random();
    const destination: Platform | undefined = side < 0.5 ? undefined : side < 0.75 ? 'telegram' : 'x';
    steps.push({
      kind: 'act',
      atMs,
      n,
      action,
      aheadMs: aheadMs(random),
      ...(destination ? { destination } : {}),
    });
  }
  for (let i = 0; i < size.kills; i++) {
    const atMs = Math.round((0.03 + random() * 0.97) * size.chaosMs);
    steps.push({ kind: 'kill', atMs, worker: Math.floor(random() * size.workers) });
  }
  for (let i = 0; i < size.redisRestarts; i++) {
    // Spread over the phase: restart i falls in its own share of it.
    const share = (0.9 * size.chaosMs) / size.redisRestarts;
    const atMs = Math.round(0.08 * size.chaosMs + share * (i + random()));
    steps.push({ kind: 'redis-restart', atMs, downMs: Math.round(300 + random() * 1_700) });
  }
  // Stable: steps at the same offset keep their generation order.
  return steps
    .map((s, i) => ({ s, i }))
    .sort((a, b) => a.s.atMs - b.s.atMs || a.i - b.i)
    .map(({ s }) => s);
}

/** 0 to 8 s ahead, most often within 3 s: soon enough that reschedules race with due jobs. */
function aheadMs(random: () => number): number {
  return Math.round(random() ** 1.5 * 8_000);
}

import { STAND_IN_FAULT_KINDS } from '../../src/sandbox/standins/telegram/index.js';
import { checkTorture } from './torture-checker.js';
import { snapshotOf, TortureEditor } from './torture-editor.js';
import type {
  DestinationSnapshot,
  ObservedPost,
  PLATFORMS,
  StoryModel,
  UnresolvedSighting,
  Violation,
} from './torture-model.js';
import { startTortureRig, TORTURE_CHANNEL, type TortureRig } from './torture-rig.js';
import { type TortureSize, tortureSchedule } from './torture-schedule.js';

/** A run's size plus how hostile the platforms are and how long editors get to clean up. */
export interface TortureOptions extends TortureSize {
  /** Share of platform calls a fault hits, 0..1 (latency counted). */
  readonly faultRate: number;
  /** How long the settle phase may take before what is left counts as stuck, ms. */
  readonly settleMs: number;
  /** Progress lines; default silent. */
  readonly log?: (line: string) => void;
}

/** What a run did and found. */
export interface TortureReport {
  readonly seed: number;
  readonly stories: number;
  /** Parts the desk rendered for the stories (last version), both platforms. */
  readonly parts: number;
  readonly posts: number;
  readonly kills: number;
  readonly redisRestarts: number;
  /** Faults injected, by `platform kind`. */
  readonly faults: Readonly<Record<string, number>>;
  readonly platformCalls: number;
  readonly actions: Readonly<Record<string, { ok: number; refused: number; threw: number }>>;
  readonly duplicates: number;
  readonly lost: number;
  readonly orphans: number;
  readonly unknownsSeen: number;
  readonly unknownsSurfaced: number;
  /** Publications only the maintenance sweep moved on (overdue or publishing, no job running them). */
  readonly swept: readonly string[];
  readonly violations: readonly Violation[];
  readonly chaosMs: number;
  readonly settleMs: number;
  readonly wallMs: number;
  /** Stderr of the workers (the tail), for a failing run. */
  readonly workerLogTail: string;
  /** What the checker read, for looking into a violation (`--json`). */
  readonly evidence: {
    readonly stories: readonly StoryModel[];
    readonly posts: readonly ObservedPost[];
    readonly finalStatus: Readonly<Record<string, readonly DestinationSnapshot[]>>;
    readonly alerts: readonly unknown[];
    readonly unresolvedSeen: readonly UnresolvedSighting[];
  };
}

// Faults on the calls that publish, and on the timeline reads that reconcile.
const PUBLISH_FAULTS = [
  'http-429',
  'http-500',
  'http-503',
  'http-502-after',
  'http-504-after',
  'drop-before',
  'drop-after',
  'timeout-after',
  'latency',
] as const;
const READ_FAULTS = ['http-503', 'drop-before', 'latency'] as const;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, Math.max(0, ms)));

/** Arms probability faults on both stand-ins so that about `rate` of the calls they serve are hit. */
function armFaults(rig: TortureRig, rate: number): void {
  const kinds = PUBLISH_FAULTS.filter((k) => (STAND_IN_FAULT_KINDS as readonly string[]).includes(k));
  // Rules are drawn in turn: k rules of probability p hit 1 - (1 - p)^k of the calls.
  const p = 1 - (1 - rate) ** (1 / kinds.length);
  const pRead = 1 - (1 - rate) ** (1 / READ_FAULTS.length);
  for (const kind of kinds) {
    rig.telegram.faults.add({
      method: 'sendMessage',
      kind,
      probability: p,
      retryAfterSec: 1,
      latencyMs: 300,
    });
    rig.x.faults.add({ method: 'POST /2/tweets', kind, probability: p, latencyMs: 300 });
  }
  for (const kind of READ_FAULTS) {
    rig.x.faults.add({ method: 'GET /2/users/:id/tweets', kind, probability: pRead, latencyMs: 300 });
  }
}

/**
 * One torture run: starts the rig, plays the seeded schedule (editor actions through the real desk,
 * faults, kill -9 of workers, Redis crashes), settles as editors would, and checks every invariant.
 * Always closes what it started.
 */
export async function runTorture(options: TortureOptions): Promise<TortureReport> {
  const log = options.log ?? (() => undefined);
  const wallStart = Date.now();
  const steps = tortureSchedule(options);
  log(
    `torture: seed ${options.seed}, ${options.stories} stories, ${steps.length} steps, chaos ${options.chaosMs} ms`,
  );
  const rig = await startTortureRig({ seed: options.seed, workers: options.workers });
  try {
    await rig.workersReady();
    await rig.services.alerts.whenSubscribed();
    const editor = new TortureEditor(rig.services.desk, `t${options.seed}`, () => rig.posts);

    armFaults(rig, options.faultRate);
    let kills = 0;
    let restarts = 0;
    const chaosStart = Date.now();
    for (const [i, step] of steps.entries()) {
      await sleep(chaosStart + step.atMs - Date.now());
      try {
        if (step.kind === 'create') await editor.create(i, step.n, step.how, step.aheadMs);
        else if (step.kind === 'act') await editor.act(i, step);
        else if (step.kind === 'kill') {
          await rig.killAndReplace(step.worker);
          kills++;
        } else {
          await rig.redis.crash();
          await sleep(step.downMs);
          await rig.redis.restart();
          restarts++;
          log(`torture: redis restarted (${restarts}) after ${step.downMs} ms down`);
        }
      } catch (err) {
        editor.threw(step.kind === 'act' ? step.action : step.kind);
        log(`torture: step ${i} (${step.kind}) threw: ${(err as Error).message}`);
      }
      if (i % 100 === 0) log(`torture: step ${i}/${steps.length}, ${rig.posts.length} posts`);
    }
    const chaosMs = Date.now() - chaosStart;
    const faults: Record<string, number> = {};
    for (const f of rig.telegram.faults.list()) {
      if (f.hits > 0) faults[`telegram ${f.kind}`] = (faults[`telegram ${f.kind}`] ?? 0) + f.hits;
    }
    for (const [kind, count] of rig.xFaults) faults[`x ${kind}`] = count;
    const platformCalls = rig.telegram.calls('sendMessage').length + rig.xRequests();
    rig.telegram.faults.clear();
    rig.x.faults.clear();
    log(`torture: chaos over after ${chaosMs} ms: ${kills} kills, ${restarts} restarts; settling`);

    const settleStart = Date.now();
    const sweeps: string[] = [];
    const unresolvedSeen = [
      ...(await settle(rig, editor, options.settleMs, log, sweeps)),
      ...editor.sightings,
    ];
    const settleMs = Date.now() - settleStart;

    const finalStatus = new Map<string, readonly DestinationSnapshot[]>();
    let parts = 0;
    for (const model of editor.stories.values()) {
      const view = await rig.services.desk.view(model.storyId);
      if (view.ok) {
        finalStatus.set(model.storyId, snapshotOf(view.value));
        parts += view.value.rendered.telegram.length + view.value.rendered.x.length;
      }
    }
    const posts = withDeletions(rig);
    const stories = [...editor.stories.values()];
    const violations = checkTorture({ stories, posts, finalStatus, alerts: rig.alerts, unresolvedSeen });
    const sightings = new Set(unresolvedSeen.map((s) => `${s.storyId}:${s.destination}`));
    const alerted = new Set(rig.alerts.map((a) => `${a.storyId}:${a.destination}`));
    return {
      seed: options.seed,
      stories: stories.length,
      parts,
      posts: posts.length,
      kills,
      redisRestarts: restarts,
      faults,
      platformCalls,
      actions: Object.fromEntries(editor.tally),
      duplicates: violations.filter((v) => v.kind === 'duplicate').length,
      lost: violations.filter((v) => v.kind === 'lost' || v.kind === 'stuck').length,
      orphans: violations.filter((v) => v.kind === 'orphan').length,
      unknownsSeen: sightings.size,
      unknownsSurfaced: [...sightings].filter((k) => alerted.has(k)).length,
      swept: sweeps,
      violations,
      chaosMs,
      settleMs,
      wallMs: Date.now() - wallStart,
      workerLogTail: rig.workerLogs(),
      evidence: {
        stories,
        posts,
        finalStatus: Object.fromEntries(finalStatus),
        alerts: rig.alerts,
        unresolvedSeen,
      },
    };
  } finally {
    await rig.close();
  }
}

/** Posts as observed, with the deleted flag the stand-ins hold now. */
function withDeletions(rig: TortureRig): ObservedPost[] {
  const deletedTg = new Set(
    rig.telegram
      .messages(TORTURE_CHANNEL)
      .filter((m) => m.deleted)
      .map((m) => String(m.message_id)),
  );
  const deletedX = new Set(
    rig.x
      .tweets()
      .filter((t) => t.deleted)
      .map((t) => t.id),
  );
  return rig.posts.map((p) => ({
    ...p,
    deleted: p.platform === 'telegram' ? deletedTg.has(p.remoteId) : deletedX.has(p.remoteId),
  }));
}

const BUSY = new Set(['draft', 'scheduled', 'publishing']);
/** How many times an editor acts on one publication in the settle phase before leaving it unresolved. */
const EDITOR_TRIES = 3;
/** How long the settle phase waits on publications that do not move before it runs the sweep, ms. */
const STILL_MS = 5_000;

/**
 * The settle phase: faults and kills are over; workers drain; every publication waiting for an editor
 * gets what an editor would do (Mark as posted with the link when the part is on the platform, Retry when
 * not), stories planned far ahead are moved to now, publications stuck publishing get the maintenance
 * sweep (run on a clock 3 minutes ahead), until nothing moves. Returns every sighting of a
 * publication waiting for an editor.
 */
async function settle(
  rig: TortureRig,
  editor: TortureEditor,
  settleMs: number,
  log: (line: string) => void,
  sweeps: string[],
): Promise<UnresolvedSighting[]> {
  const deadline = Date.now() + settleMs;
  const sightings: UnresolvedSighting[] = [];
  await rig.workersReady();
  let round = 0;
  let lastProgress = '';
  let stillSince = Date.now();
  const tries = new Map<string, number>();
  let quietSince: number | undefined;
  while (Date.now() < deadline) {
    round++;
    let busy = 0;
    let onlyOverdue = true;
    const waiting: { n: number; destination: (typeof PLATFORMS)[number]; state: string }[] = [];
    for (const [n, model] of editor.stories) {
      const view = await rig.services.desk.view(model.storyId);
      if (!view.ok) continue;
      for (const d of snapshotOf(view.value)) {
        if (BUSY.has(d.state)) {
          busy++;
          // Publishing, or scheduled and overdue: a worker should have it; else only the sweep will.
          if (d.state !== 'publishing' && !(d.state === 'scheduled' && (d.atMs ?? 0) < Date.now() - STILL_MS))
            onlyOverdue = false;
          // Planned well ahead (the next slot, a late reschedule): an editor moves it up.
          const farAhead =
            d.state === 'draft' || (d.state === 'scheduled' && (d.atMs ?? 0) > Date.now() + 3_000);
          if (farAhead) await editor.now(model, d.destination);
        } else if (d.state === 'needs-attention' || d.state === 'failed') {
          waiting.push({ n, destination: d.destination, state: d.state });
          sightings.push({ storyId: model.storyId, destination: d.destination, state: d.state });
        }
      }
    }
    const actionable = waiting.filter((w) => (tries.get(`${w.n}:${w.destination}`) ?? 0) < EDITOR_TRIES);
    if (busy === 0 && actionable.length === 0) {
      // Quiet twice in a row, a second apart: nothing still on its way to a state we read.
      if (quietSince !== undefined && Date.now() - quietSince >= 1_000) break;
      quietSince ??= Date.now();
      await sleep(500);
      continue;
    }
    quietSince = undefined;
    // Overdue or publishing, and nothing moved for a while: nothing will, unless the sweep (every minute
    // in production, acting on what is 1 to 2 minutes overdue) finds it.
    const progress = `${busy}:${waiting.length}:${rig.posts.length}`;
    if (progress !== lastProgress) {
      lastProgress = progress;
      stillSince = Date.now();
    } else if (Date.now() - stillSince > STILL_MS && onlyOverdue) {
      const swept = await rig.sweepAhead(3 * 60_000);
      sweeps.push(
        ...swept.requeued.map((id) => `requeued ${id}`),
        ...swept.settled.map((id) => `settled ${id}`),
      );
      log(
        `torture: nothing moved for ${STILL_MS} ms; the sweep requeued ${swept.requeued.length}, settled ${swept.settled.length}`,
      );
      stillSince = Date.now();
    }
    if (busy === 0) {
      log(`torture: settle round ${round}: ${actionable.length} publication(s) waiting for an editor`);
      for (const w of actionable) {
        const key = `${w.n}:${w.destination}`;
        tries.set(key, (tries.get(key) ?? 0) + 1);
        const model = editor.stories.get(w.n);
        if (model) await editor.resolve(-1, model, w.destination);
      }
    }
    await sleep(500);
  }
  // Alerts travel on a Redis stream: give the last ones a moment to arrive.
  await sleep(1_000);
  return sightings;
}

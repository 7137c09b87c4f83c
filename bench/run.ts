/**
 * `npm run bench`: delivery figures (pacing, timeliness, engine overhead, scale, scale-out over worker
 * processes), render and feed-intake throughput, from one run, printed as one table with their targets.
 * Needs the local Redis (127.0.0.1:6379, or TEST_REDIS_URL) and `redis-server` on PATH (the scale figure
 * uses a Redis server of its own).
 */

import { availableParallelism } from 'node:os';
import { startOwnRedis } from '../harness/delivery-redis-server.js';
import { benchCli } from './cli-bench.js';
import {
  benchOverhead,
  benchPacing,
  benchScale,
  benchTimeliness,
  type OverheadResult,
  type RunsBySetting,
} from './delivery-bench.js';
import { benchIntake } from './intake-bench.js';
import { benchRender, threadFigures } from './render-bench.js';
import { benchScale as benchScaleOut } from './scale-bench.js';

interface Row {
  readonly figure: string;
  readonly value: string;
  readonly target: string;
  readonly ok: boolean | undefined;
}

const fmt = (n: number, digits = 1) =>
  n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const MB = 1024 * 1024;

function section(name: string): void {
  process.stderr.write(`bench: ${name}…\n`);
}

/** `regwire 4: 180 / 175 / 190, 8: …; bare …`: each timed run of the overhead figure. */
function spread(runs: OverheadResult['runs']): string {
  const side = (name: string, bySetting: RunsBySetting) =>
    `${name} ${[...bySetting].map(([c, xs]) => `${c}: ${xs.map((x) => fmt(x, 0)).join(' / ')}`).join(', ')}`;
  return `${side('regwire', runs.regwire)}; ${side('bare', runs.bare)}`;
}

const startedAt = Date.now();
const rows: Row[] = [];
const notes: string[] = [];

section('(a) pacing');
const pacing = await benchPacing();
rows.push(
  {
    figure: `(a) pacing: ${pacing.posts}-post backlog to one channel, elapsed ÷ theoretical minimum`,
    value: `${fmt(pacing.ratio, 3)} (${fmt(pacing.elapsedMs, 0)} ms ÷ ${fmt(pacing.theoreticalMs, 0)} ms)`,
    target: '≤ 1.05',
    ok: pacing.ratio <= 1.05,
  },
  {
    figure: '(a) pacing: 429s received',
    value: String(pacing.rateLimited),
    target: '0',
    ok: pacing.rateLimited === 0,
  },
);
notes.push(
  `(a) shortened limit: ${pacing.minIntervalMs} ms between posts (${Math.round(60_000 / pacing.minIntervalMs)}/min) in regwire's config and in the stand-in's flood control (burst 3), instead of Telegram's 1 s and 20/min.`,
);

for (const hz of [10, 1]) {
  section(`(b) timeliness, Redis hz ${hz}`);
  const server = await startOwnRedis({ durable: false, hz });
  const timely = await benchTimeliness(1_000, 20_000, server.url).finally(() => server.close());
  rows.push({
    figure: `(b) timeliness: ${timely.posts} posts due within ${timely.spanMs / 1000} s, lateness p50 / p99 (max); Redis hz ${hz}`,
    value: `${fmt(timely.p50Ms, 0)} / ${fmt(timely.p99Ms, 0)} ms (${fmt(timely.maxMs, 0)})`,
    target: 'p99 ≤ 50 ms',
    ok: timely.p99Ms <= 50,
  });
}
notes.push(
  "(b) limits off, so pacing requires no wait and all lateness is regwire's; the 1,000 due times are spread evenly over 20 s (denser than one minute) to keep the bench short. Each run uses a Redis server of its own, at Redis's default `hz 10` and at `hz 1`: an idle server notices an expired blocking wait only on its next timer tick (up to 100 ms, or 1 s, late), so regwire's workers wake it at each due time (PunctualWorker) and the figure does not depend on `hz`.",
);

section('(c) engine overhead, stand-ins in a process of their own');
const overhead = await benchOverhead();
rows.push({
  figure: `(c) overhead: stories/s end to end (post + 4-tweet thread), regwire ÷ bare BullMQ; stand-ins in their own process`,
  value: `${fmt(overhead.ratio, 2)} (${fmt(overhead.regwirePerSecond)} ÷ ${fmt(overhead.barePerSecond)} stories/s)`,
  target: '≥ 0.8',
  ok: overhead.ratio >= 0.8,
});
notes.push(
  `(c) ${overhead.stories} stories per run, limits off; the stand-ins run in a process of their own (harness/standins-process.ts), so their CPU is on neither side; regwire's workers or the bare workers run in the bench process. ${overhead.concurrencies.join(', ')} jobs at a time per platform, one untimed warm-up run per side, then ${overhead.rounds} alternating rounds; each side's figure is the median run at its best setting: regwire peaked at ${overhead.regwireConcurrency}, bare at ${overhead.bareConcurrency}. Every run, stories/s: ${spread(overhead.runs)}.`,
);
section('(c) engine overhead, stand-ins in the bench process (the earlier figure, for comparison)');
const inProcess = await benchOverhead(300, 5, [4, 8, 16], 0, 'in-process');
rows.push({
  figure: `(c) the same with the stand-ins in the workers' process (earlier method: their CPU on both sides)`,
  value: `${fmt(inProcess.ratio, 2)} (${fmt(inProcess.regwirePerSecond)} ÷ ${fmt(inProcess.barePerSecond)} stories/s)`,
  target: '—',
  ok: undefined,
});
notes.push(`(c, in-process) every run, stories/s: ${spread(inProcess.runs)}.`);
const withLatency = await benchOverhead(150, 1, [8], 25);
rows.push({
  figure: `(c) the same with each platform call answered after ${withLatency.platformLatencyMs} ms, 8 jobs at a time`,
  value: `${fmt(withLatency.ratio, 2)} (${fmt(withLatency.regwirePerSecond)} ÷ ${fmt(withLatency.barePerSecond)} stories/s)`,
  target: '—',
  ok: undefined,
});

section('(d) scale (100,000 stories; about a minute)');
const scale = await benchScale();
rows.push(
  {
    figure: `(d) scale: worker RSS with ${scale.stories.toLocaleString('en-US')} stories delayed, plain node (tsc output)`,
    value: `${fmt(scale.workerRssBytes.compiled / MB)} MB`,
    target: '≤ 150 MB',
    ok: scale.workerRssBytes.compiled <= 150 * MB,
  },
  {
    figure: '(d) scale: the same worker under tsx (node --import tsx)',
    value: `${fmt(scale.workerRssBytes.tsx / MB)} MB`,
    target: '(≤ 150 MB)',
    ok: scale.workerRssBytes.tsx <= 150 * MB,
  },
  {
    figure: '(d) scale: Redis bytes per scheduled story (INFO used_memory delta)',
    value: `${fmt(scale.redisBytesPerStory, 0)} B`,
    target: '≤ 4 KB',
    ok: scale.redisBytesPerStory <= 4096,
  },
  {
    figure: '(d) scale: time to list the next 50 (desk.upcoming), p50 (max of 21)',
    value: `${fmt(scale.listNext50P50Ms)} ms (${fmt(scale.listNext50MaxMs)})`,
    target: '≤ 100 ms',
    ok: scale.listNext50P50Ms <= 100,
  },
);
notes.push(
  `(d) filled in ${fmt(scale.fillMs / 1000)} s through regwire's stores and queues (planner bypassed); one story's keys by MEMORY USAGE: ${Object.entries(
    scale.sampleKeys,
  )
    .map(([k, v]) => `${k} ${v} B`)
    .join(
      ', ',
    )}; story record JSON ${scale.recordJsonBytes} B. Worker = a separate \`startApp\` worker process.`,
);

section('(e) scale-out: 1, 2 and 3 worker processes');
const scaleOut = await benchScaleOut(100);
const single = scaleOut.runs.find((r) => r.workers === 1)?.storiesPerSecond ?? Number.NaN;
for (const run of scaleOut.runs) {
  rows.push({
    figure: `(e) scale-out: stories/s end to end with ${run.workers} worker process${run.workers === 1 ? '' : 'es'} (${scaleOut.stories} stories, post + 4-tweet thread)`,
    value: `${fmt(run.storiesPerSecond)}/s (×${fmt(run.storiesPerSecond / single, 2)}; publications per process ${run.perProcess.join(' / ')})`,
    target: '—',
    ok: undefined,
  });
}
notes.push(
  `(e) \`regwire start --role worker\` processes (the built dist/, plain node, like the image) on one Redis under a hash-tagged prefix, limits off, concurrency ${scaleOut.concurrency} per destination per process; the stand-ins run in the bench process and answer after ${scaleOut.platformLatencyMs} ms (a platform round trip). Timed from releasing the paused queues to the last platform call. On this machine (${availableParallelism()} cores shared by the workers, the stand-ins and Redis) the gain levels off once the cores are busy; on separate machines each process adds its own concurrency.`,
);

section('intake');
const intake = await benchIntake(1);
rows.push(
  {
    figure: `intake: feed parse + normalize (${intake.items.toLocaleString('en-US')}-item RSS, ${fmt(intake.feedBytes / MB)} MB)`,
    value: `${fmt(intake.parseItemsPerSecond, 0)} items/s (${fmt(intake.parseMsPerFeed, 0)} ms per feed)`,
    target: '—',
    ok: undefined,
  },
  {
    figure: 'intake: relevance scoring',
    value: `${fmt(intake.relevanceItemsPerSecond, 0)} items/s`,
    target: '—',
    ok: undefined,
  },
  {
    figure: 'intake: title dedup (normalize + similarity lookup + insert)',
    value: `${fmt(intake.dedupItemsPerSecond, 0)} items/s (${intake.dedupMatches} matches)`,
    target: '—',
    ok: undefined,
  },
);

section('CLI latency (20 runs per command)');
for (const cli of await benchCli(20)) {
  rows.push({
    figure: `CLI: regwire ${cli.command}, wall time from spawn to exit, p50 / p95 of ${cli.runs} runs`,
    value: `${fmt(cli.p50Ms, 0)} / ${fmt(cli.p95Ms, 0)} ms`,
    target: '< 300 ms',
    ok: cli.p95Ms < 300,
  });
}
notes.push(
  'CLI: `node bin/regwire.mjs <command>` on the build in dist/ (built first with `npm run build`), one untimed run per command, then 20 runs one after another on the local Redis; `queue` queues a new story each run.',
);

section('render');
const render = await benchRender();
rows.push({
  figure: `render: full renders/s over the corpus (${render.corpusStories} stories), mean`,
  value: `${fmt(render.storiesPerSecond, 0)}/s (${fmt(render.meanMicros, 0)} µs; Telegram ${fmt(render.telegramPerSecond, 0)}/s, X ${fmt(render.xPerSecond, 0)}/s)`,
  target: '—',
  ok: undefined,
});
const threads = threadFigures();
rows.push({
  figure: `threads over the corpus (${threads.stories} stories): tweets per story, mean fill (weighted length ÷ 280), truncated, one post`,
  value: `${fmt(threads.tweetsPerStory, 2)} / ${fmt(threads.meanFill * 100)}% / ${fmt(threads.truncatedShare * 100)}% / ${fmt(threads.singlePostShare * 100)}%`,
  target: '—',
  ok: undefined,
});

const widths = [
  Math.max(6, ...rows.map((r) => r.figure.length)),
  Math.max(5, ...rows.map((r) => r.value.length)),
  Math.max(6, ...rows.map((r) => r.target.length)),
];
const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |`;
console.log(`${line(['figure', 'value', 'target'])} ok |`);
console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|----|`);
for (const r of rows)
  console.log(`${line([r.figure, r.value, r.target])} ${r.ok === undefined ? '  ' : r.ok ? '✓ ' : '✗ '} |`);
console.log('');
for (const n of notes) console.log(`- ${n}`);
console.log(`- whole bench: ${fmt((Date.now() - startedAt) / 1000)} s`);
process.exit(0);

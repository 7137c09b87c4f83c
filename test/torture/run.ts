/**
 * `npm run torture -- [--stories 500] [--seed N] [--kills K] [--restarts R] [--faults 0.2] [--workers 2]
 * [--chaos-ms MS] [--settle-ms MS] [--json FILE]`: the long torture run (issue 13); `--short [--seed N]` runs
 * the short one CI runs. Prints the seed first,
 * the figures and every violation at the end; exits 1 when an invariant broke. The same seed replays the
 * same schedule of editor actions, faults, kills and restarts.
 * Needs `redis-server` on PATH (the run starts a Redis of its own, which it crashes and restarts).
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { shortTorture } from './torture-presets.js';
import { formatTortureReport } from './torture-report.js';
import { runTorture } from './torture-run.js';

const { values } = parseArgs({
  options: {
    stories: { type: 'string', default: '500' },
    seed: { type: 'string' },
    kills: { type: 'string' },
    restarts: { type: 'string' },
    faults: { type: 'string', default: '0.2' },
    workers: { type: 'string', default: '2' },
    'chaos-ms': { type: 'string' },
    'settle-ms': { type: 'string' },
    json: { type: 'string' },
    short: { type: 'boolean', default: false },
  },
});

const stories = Number(values.stories);
const seed = values.seed !== undefined ? Number(values.seed) : Date.now() % 1_000_000;
// About 0.5 s of chaos per story, at least a minute; a kill every ~4 s, a Redis restart every ~80 s.
const chaosMs =
  values['chaos-ms'] !== undefined ? Number(values['chaos-ms']) : Math.max(60_000, stories * 500);
const kills = values.kills !== undefined ? Number(values.kills) : Math.max(3, Math.round(stories / 8));
const restarts =
  values.restarts !== undefined ? Number(values.restarts) : Math.max(1, Math.round(chaosMs / 80_000));
for (const [name, n] of Object.entries({ stories, seed, chaosMs, kills, restarts })) {
  if (!Number.isInteger(n) || n < 0) {
    process.stderr.write(`torture: --${name} must be a whole number (got ${n})\n`);
    process.exit(2);
  }
}

process.stderr.write(`torture: seed ${seed} (replay with --seed ${seed}${values.short ? ' --short' : ''})\n`);
const log = (line: string) => process.stderr.write(`${line}\n`);
const options = values.short
  ? { ...shortTorture(seed), log }
  : {
      seed,
      stories,
      kills,
      redisRestarts: restarts,
      chaosMs,
      workers: Number(values.workers),
      actionsPerStory: 1.2,
      faultRate: Number(values.faults),
      settleMs:
        values['settle-ms'] !== undefined ? Number(values['settle-ms']) : Math.max(60_000, stories * 300),
      log,
    };
const report = await runTorture(options);
const replay = `npm run torture -- ${values.short ? '--short' : `--stories ${stories}`} --seed ${seed}`;
process.stdout.write(`${formatTortureReport(report, replay)}\n`);
if (values.json) writeFileSync(values.json, JSON.stringify(report, null, 2));
process.exit(report.violations.length === 0 ? 0 : 1);

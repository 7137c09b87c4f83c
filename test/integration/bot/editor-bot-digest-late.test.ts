import { afterEach, describe, expect, it } from 'vitest';
import { editorsDigest } from '../../../jobs/maintenance.job.js';
import { describeInstant } from '../../../src/schedule/describe-instant.js';
import { silentLogger } from '../../../src/util/logger.js';
import { waitFor } from '../../support/wait-for.js';
import { EDITOR_ID, type Harness, startHarness } from './editor-bot-harness.js';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
let harness: Harness | undefined;

afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

// The editors' daily digest when the bot was down: intake's news is dropped after 12 h, but the digest
// still reaches the editors, marked late, up to 2 days; never twice for one day. The bus's clock (its
// messages' age against their stream ids) and the desk's are moved forward instead of waiting.
describe("editors' digest while the bot was down", () => {
  let busOffsetMs = 0;
  const busNow = () => Date.now() + busOffsetMs;

  async function start(): Promise<Harness> {
    busOffsetMs = 0;
    const h = await startHarness({ busNow });
    harness = h;
    await h.say('/start');
    return h;
  }
  const digests = (h: Harness) => h.replies(EDITOR_ID).filter((m) => m.text?.includes("Editors' digest"));
  const run = (h: Harness) =>
    editorsDigest({ desk: h.desk, intake: h.services.intake, logger: silentLogger, now: h.clock.now });
  /** Waits until the bot has handled everything on the intake stream (and so sent what it would). */
  const drained = (h: Harness) =>
    waitFor(async () => (await h.services.intake.backlog()) === 0, { what: 'the intake stream handled' });

  it('a digest made while no bot reads comes 13 h later, marked late, and only once', async () => {
    const h = await start();
    await h.editor.stop();
    const madeAtMs = h.clock.now();
    const day = new Date(madeAtMs - DAY_MS).toISOString().slice(0, 10);
    expect(await run(h)).toEqual({ sent: true, day });
    // The job run again for the same day (a retry, a stalled job, a second process) sends nothing.
    expect(await run(h)).toEqual({ sent: false, reason: `the digest for ${day} was already sent` });

    busOffsetMs = 13 * HOUR_MS;
    h.clock.advance(13 * HOUR_MS);
    await h.restart();
    await drained(h);
    const got = digests(h);
    expect(got).toHaveLength(1);
    expect(got[0]?.text?.split('\n').slice(0, 2)).toEqual([
      `⏰ Late: made ${describeInstant(madeAtMs, h.desk.timeZone())}, while the bot was not running.`,
      `📊 Editors' digest for ${day} (UTC): what X cost`,
    ]);
  });

  it('a digest more than 2 days old is dropped; the next one comes on time, not marked late', async () => {
    const h = await start();
    await h.editor.stop();
    const staleDay = new Date(h.clock.now() - DAY_MS).toISOString().slice(0, 10);
    expect(await run(h)).toEqual({ sent: true, day: staleDay });

    busOffsetMs = 2 * DAY_MS + HOUR_MS;
    h.clock.advance(2 * DAY_MS + HOUR_MS);
    await h.restart();
    await drained(h);
    expect(digests(h)).toHaveLength(0);

    // Back to the stream's own time: the next digest is made and read at once.
    busOffsetMs = 0;
    const day = new Date(h.clock.now() - DAY_MS).toISOString().slice(0, 10);
    expect(await run(h)).toEqual({ sent: true, day });
    await drained(h);
    const got = digests(h);
    expect(got).toHaveLength(1);
    expect(got[0]?.text?.split('\n')[0]).toBe(`📊 Editors' digest for ${day} (UTC): what X cost`);
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import { LIMITS_OFF, writeDeliveryConfig } from '../../../harness/delivery-config.js';
import { xPricingSchema } from '../../../src/config/x-billing-schema.js';
import { containsUrl } from '../../../src/format/x-cost.js';
import type { StandInMessage } from '../../../src/sandbox/standins/telegram/index.js';
import { startXStandIn, type XStandIn } from '../../../src/sandbox/standins/x/index.js';
import { deliveryStory, SYSTEM_ACTOR } from '../../support/delivery-harness.js';
import { waitFor } from '../../support/wait-for.js';
import { buttonsOf, EDITOR_ID, type Harness, startHarness } from './editor-bot-harness.js';

let harness: Harness | undefined;
let x: XStandIn | undefined;
let removeConfig: () => void = () => undefined;

afterEach(async () => {
  await harness?.close();
  harness = undefined;
  await x?.close();
  x = undefined;
  removeConfig();
});

// A delivery story's thread: three plain tweets and one with its link ($0.245); without the link $0.060.
const WITH_LINK = 0.245;

// The budget alert's buttons, pressed by an editor through the real bot against the Telegram stand-in, with
// regwire's workers posting to the X stand-in on real Redis.
describe('editor bot: a story the X budget holds', () => {
  it('alerts once with the figures; Post without link, Hold and Post anyway each do what they say', async () => {
    x = await startXStandIn();
    const written = writeDeliveryConfig({
      ...LIMITS_OFF,
      concurrency: 1,
      xBilling: { budget: { dailyUsd: 0.35 } },
    });
    removeConfig = written.remove;
    const h = await startHarness({
      publishTo: { x },
      env: { REGWIRE_CONFIG_DIR: written.dir, REGWIRE_SANDBOX: 'off' },
      bot: { xPricing: xPricingSchema.parse({}) },
    });
    harness = h;
    await h.say('/start');
    const stand = x;

    const tweetsOf = (n: number) => stand.tweets().filter((t) => t.text.includes(`district ${n} `));
    const queue = async (n: number) => {
      const draft = await h.desk.createDraft(deliveryStory(n, 'budget'), SYSTEM_ACTOR);
      if (!draft.ok) throw new Error(draft.error);
      const id = draft.value.story.id;
      const scheduled = await h.desk.schedule(id, { mode: 'now' }, SYSTEM_ACTOR);
      if (!scheduled.ok) throw new Error(scheduled.error);
      return id;
    };
    const settled = (id: string, state: string) =>
      waitFor(async () => ((await h.stateOf(id, 'x')) === state ? true : undefined), {
        what: `${id} on x to be ${state}`,
      });
    const alertsAbout = (id: string) =>
      h
        .replies(EDITOR_ID)
        .filter((m) => m.text?.startsWith('⏸ Held: over the spending budget') && m.text.includes(id));
    const heldAlert = (id: string, count = 1) =>
      waitFor(() => (alertsAbout(id).length >= count ? alertsAbout(id)[count - 1] : undefined), {
        what: `hold alert ${count} about ${id}`,
      }) as Promise<StandInMessage>;

    // Story 1 fits ($0.245 of $0.35) and goes out.
    const first = await queue(1);
    await settled(first, 'published');
    expect(tweetsOf(1)).toHaveLength(4);

    // Story 2 would take the day to $0.490: held, the channel post still goes out, one alert with the figures.
    const second = await queue(2);
    await settled(second, 'needs-attention');
    const alert2 = await heldAlert(second);
    expect(alert2.text).toContain(
      `this story costs $${WITH_LINK.toFixed(3)} on X and today's spend is $0.245 of the $0.350 daily budget; this month's is $0.245 (no monthly budget)`,
    );
    expect([...buttonsOf(alert2).keys()]).toEqual(['Post anyway', 'Hold', 'Post without link']);
    expect(await h.stateOf(second, 'telegram')).toBe('published');
    expect(tweetsOf(2)).toHaveLength(0);

    // Post without link: the thread loses its link ($0.060), the budget is asked again and lets it through.
    const noLink = await h.press(alert2, 'Post without link');
    expect(noLink.text).toBe('Done.');
    await settled(second, 'published');
    expect(tweetsOf(2)).toHaveLength(4);
    expect(tweetsOf(2).some((t) => containsUrl(t.text))).toBe(false);
    expect(h.current(alert2).text).toContain('Posting without its link on x, the budget checked again by ');

    // Story 3 would take the day ($0.305) to $0.550: held. Hold keeps it held and says how to send it.
    const third = await queue(3);
    await settled(third, 'needs-attention');
    const alert3 = await heldAlert(third);
    const hold = await h.press(alert3, 'Hold');
    expect(hold.text).toBe('Kept held.');
    expect(h.current(alert3).text).toContain(`/retry ${third} posts it anyway`);
    expect(await h.stateOf(third, 'x')).toBe('needs-attention');
    expect(tweetsOf(3)).toHaveLength(0);

    // Post anyway, from the same alert: over the budget, with its link, this story only.
    expect(await h.press(h.current(alert3), 'Post anyway')).toMatchObject({ text: 'Done.' });
    await settled(third, 'published');
    expect(tweetsOf(3)).toHaveLength(4);
    expect(tweetsOf(3).filter((t) => containsUrl(t.text))).toHaveLength(1);
    // The alert's buttons are gone once it is acted on: it cannot be posted twice from there.
    expect(buttonsOf(h.current(alert3)).size).toBe(0);

    // The override was for story 3 alone: story 4 is held again, and without its link it still does not
    // fit ($0.550 + $0.060 > $0.350), so the budget holds it once more with a new alert.
    const fourth = await queue(4);
    await settled(fourth, 'needs-attention');
    await h.press(await heldAlert(fourth), 'Post without link');
    const again = await heldAlert(fourth, 2);
    expect(again.text).toContain('this story costs $0.060 on X');
    expect(await h.stateOf(fourth, 'x')).toBe('needs-attention');
    expect(tweetsOf(4)).toHaveLength(0);

    // Each hold was told once.
    expect(alertsAbout(second)).toHaveLength(1);
    expect(alertsAbout(third)).toHaveLength(1);
    expect(stand.tweets()).toHaveLength(12);
  });
});

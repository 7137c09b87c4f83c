import { describe, expect, it } from 'vitest';
import { parseEmbargoArgs } from '../../../src/bot/command-line.js';
import { embargoLines, previewMessages } from '../../../src/bot/preview-text.js';
import { statusMessages } from '../../../src/bot/status-text.js';
import { defaultRenderOptions, render } from '../../../src/format/index.js';
import { storyFromInput } from '../../../src/format/story-input.js';
import type { DestinationPlan, StoryView } from '../../../src/ports/desk.js';

const NOW = Date.UTC(2026, 11, 7, 12, 0); // Mon 7 Dec 2026, 13:00 in Berlin
const TZ = 'Europe/Berlin';
const TUE_9 = Date.UTC(2026, 11, 8, 8, 0); // Tue 8 Dec 2026, 09:00 in Berlin

describe('parseEmbargoArgs', () => {
  const read = (payload: string) => parseEmbargoArgs(payload, TZ, NOW);

  it("reads the /schedule time phrases in the editors' zone, and off", () => {
    for (const phrase of ['tomorrow 09:00', '2026-12-08 09:00', 'tue 09:00', '2026-12-08T08:00:00Z']) {
      expect(read(`k3m9x2qa ${phrase}`), phrase).toEqual({
        ok: true,
        storyRef: 'k3m9x2qa',
        untilMs: TUE_9,
        display: 'Tue 8 Dec 2026, 09:00 (Europe/Berlin)',
      });
    }
    expect(read('k3m9x2qa in 2h')).toMatchObject({ ok: true, untilMs: NOW + 7_200_000 });
    expect(read('k3m9x2qa 09:00')).toMatchObject({
      ok: true,
      untilMs: TUE_9,
      note: '09:00 has passed today: tomorrow',
    });
    for (const word of ['off', 'OFF', 'lift', 'none']) {
      expect(read(`k3m9x2qa ${word}`)).toEqual({ ok: true, storyRef: 'k3m9x2qa', untilMs: null });
    }
  });

  it('says what is wrong, with examples', () => {
    expect(read('')).toMatchObject({
      ok: false,
      error: expect.stringMatching(/^Give a story id and a time, e\.g\./),
    });
    expect(read('k3m9x2qa')).toMatchObject({
      ok: false,
      error: expect.stringMatching(/^Until when\? e\.g\./),
    });
    expect(read('k3m9x2qa now')).toMatchObject({
      ok: false,
      error: 'An embargo until now holds nothing: to lift one, /embargo k3m9x2qa off',
    });
    expect(read('k3m9x2qa 2026-12-01 09:00')).toMatchObject({
      ok: false,
      error: expect.stringMatching(/^Tue 1 Dec 2026, 09:00 \(Europe\/Berlin\) is in the past/),
    });
    expect(read('k3m9x2qa next week')).toMatchObject({
      ok: false,
      error: expect.stringContaining('/embargo k3m9x2qa off'),
    });
  });
});

function view(embargoes: Record<string, number | undefined>): StoryView {
  const story = storyFromInput(
    { title: 'ESMA register', body: 'Three issuers.', url: 'https://example.com/a' },
    defaultRenderOptions,
  );
  const plan = (destination: string, platform: 'telegram' | 'x'): DestinationPlan => {
    const until = embargoes[destination];
    return {
      destination,
      platform,
      state: 'scheduled',
      atMs: TUE_9 + 3_600_000,
      parts: [],
      links: [],
      ...(until === undefined ? {} : { embargoUntilMs: until }),
    };
  };
  return {
    story,
    rendered: render(story, defaultRenderOptions),
    destinations: [plan('telegram', 'telegram'), plan('x', 'x')],
    history: [],
  };
}

describe('the embargo in the preview and /status', () => {
  it('is one line when every destination has the same, else one per destination that has one', () => {
    expect(embargoLines(view({ telegram: TUE_9, x: TUE_9 }), TZ)).toEqual([
      'Embargoed until Tue 8 Dec 2026, 09:00 (Europe/Berlin)',
    ]);
    expect(embargoLines(view({ x: TUE_9 }), TZ)).toEqual([
      'Embargoed until Tue 8 Dec 2026, 09:00 (Europe/Berlin) (x)',
    ]);
    expect(embargoLines(view({}), TZ)).toEqual([]);
  });

  it('the preview shows it above when each destination publishes', () => {
    const [text] = previewMessages(view({ telegram: TUE_9, x: TUE_9 }), TZ);
    expect(text).toContain(
      'When it would publish:\nEmbargoed until Tue 8 Dec 2026, 09:00 (Europe/Berlin)\n• telegram [scheduled]: Tue 8 Dec 2026, 10:00',
    );
    expect(previewMessages(view({}), TZ)[0]).not.toContain('Embargoed');
  });

  it('/status shows it under each destination that has one', () => {
    const [text] = statusMessages(view({ x: TUE_9 }), TZ);
    expect(text).toContain(
      'x (x): scheduled, Tue 8 Dec 2026, 10:00 (Europe/Berlin)\n  Embargoed until Tue 8 Dec 2026, 09:00 (Europe/Berlin)',
    );
    expect(text?.split('\n\n')[1]).not.toContain('Embargoed');
  });
});

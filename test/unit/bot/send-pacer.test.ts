import { describe, expect, it } from 'vitest';
import { draftHeader, intakeText } from '../../../src/bot/intake-relay.js';
import { SendPacer } from '../../../src/bot/send-pacer.js';

describe('SendPacer', () => {
  it('lets a burst through, then one per interval per chat', () => {
    let now = 0;
    const pacer = new SendPacer({ perChatBurst: 3, perChatIntervalMs: 1000, marginMs: 0 }, () => now);
    expect([1, 2, 3, 4, 5].map(() => pacer.reserve(7))).toEqual([0, 0, 0, 3000, 3000]);
    // Another chat has its own budget.
    expect(pacer.reserve(8)).toBe(0);
    now = 10_000;
    expect(pacer.reserve(7)).toBe(0);
  });

  it('keeps a group within its per-minute cap and counts sends that did not wait', () => {
    const now = 0;
    const pacer = new SendPacer({ perChatBurst: 100, perGroupPerMinute: 4, marginMs: 0 }, () => now);
    pacer.note(-100);
    pacer.note(-100);
    expect([pacer.reserve(-100), pacer.reserve(-100), pacer.reserve(-100)]).toEqual([0, 0, 60_000]);
  });

  it('stops waiting when the signal aborts', async () => {
    const pacer = new SendPacer({ perChatBurst: 1, perChatIntervalMs: 60_000 });
    const stop = new AbortController();
    expect(await pacer.wait(1, stop.signal)).toBe(true);
    const waiting = pacer.wait(1, stop.signal);
    stop.abort();
    expect(await waiting).toBe(false);
  });
});

describe('intake notices', () => {
  it('heads a draft with the source and the relevance on one line', () => {
    expect(
      draftHeader({ sourceName: 'CoinDesk', relevance: 'relevance 14 (threshold 4):\nlicen* +5 (title)' }),
    ).toBe('From CoinDesk — relevance 14 (threshold 4): licen* +5 (title)');
  });

  it('passes a source’s message as is and says when the plan is unknown', () => {
    expect(
      intakeText({
        kind: 'source-recovered',
        sourceId: 's',
        sourceName: 'S',
        failures: 0,
        message: 'S is back.',
      }),
    ).toBe('S is back.');
    const scheduled = intakeText({
      kind: 'scheduled',
      storyId: 'a1b2c3d4',
      title: 'T',
      sourceId: 's',
      sourceName: 'S',
      relevance: '',
    });
    expect(scheduled).toBe('🗓 Scheduled from S: a1b2c3d4 "T"\nPlan: the next free slot\n/status a1b2c3d4');
  });
});

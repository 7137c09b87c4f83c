import { describe, expect, it } from 'vitest';
import type { LiveRateState } from '../../../src/schedule/destination-schedule.js';
import {
  LIVE_LOW_WATER,
  LIVE_REFRESH_MS,
  liveWorthRecording,
} from '../../../src/schedule/live-rate-refresh.js';

const T = 1_800_000_000_000;
const reading = (remaining: number, observedAtMs: number, resetAtMs = T + 900_000): LiveRateState => ({
  window: { remaining, resetAtMs, observedAtMs },
  day: { remaining: remaining + 1_000, resetAtMs: T + 86_400_000, observedAtMs },
});

describe('liveWorthRecording', () => {
  it('records the first reading', () => {
    expect(liveWorthRecording(undefined, reading(200, T), 1)).toBe(true);
  });

  it("skips a reading that only says what regwire's own sends already account for", () => {
    expect(liveWorthRecording(reading(200, T), reading(197, T + 900), 3)).toBe(false);
  });

  it('records when the count drifted (another client of the account posted)', () => {
    expect(liveWorthRecording(reading(200, T), reading(190, T + 900), 3)).toBe(true);
  });

  it('records a new window, a low budget, and a reading older than the refresh interval', () => {
    expect(liveWorthRecording(reading(200, T), reading(299, T + 900, T + 1_800_000), 1)).toBe(true);
    expect(liveWorthRecording(reading(LIVE_LOW_WATER + 1, T), reading(LIVE_LOW_WATER, T + 10), 1)).toBe(true);
    expect(liveWorthRecording(reading(200, T), reading(199, T + LIVE_REFRESH_MS), 1)).toBe(true);
  });

  it('always records an exhausted budget (the pacer stops sends on it)', () => {
    expect(liveWorthRecording(reading(1, T), reading(0, T + 10), 1)).toBe(true);
  });

  it('records a budget the previous reading did not have', () => {
    const windowOnly: LiveRateState = { window: { remaining: 200, resetAtMs: T + 900_000, observedAtMs: T } };
    expect(liveWorthRecording(windowOnly, reading(199, T + 10), 1)).toBe(true);
  });
});

import { describe, expect, it } from 'vitest';
import {
  isAddressedTo,
  parseEditArgs,
  parseScheduleArgs,
  readCommand,
} from '../../../src/bot/command-line.js';

const NOW = Date.UTC(2026, 10, 28, 12, 0); // Sat 28 Nov 2026, 13:00 in Berlin
const TZ = 'Europe/Berlin';
const DESTS = ['telegram-main', 'x-main'];

describe('readCommand', () => {
  it('reads name, addressee and payload with newlines kept', () => {
    expect(readCommand('/Queue@Regwire_Bot https://a.example/x\nTitle')).toEqual({
      name: 'queue',
      addressee: 'regwire_bot',
      payload: 'https://a.example/x\nTitle',
    });
    expect(readCommand('/list')).toEqual({ name: 'list', payload: '' });
    expect(readCommand('hello /list')).toBeUndefined();
    expect(readCommand('/list/x')).toBeUndefined();
  });

  it('knows which commands are addressed to the bot', () => {
    expect(isAddressedTo(readCommand('/list')!, 'regwire_bot')).toBe(true);
    expect(isAddressedTo(readCommand('/list@REGWIRE_bot')!, 'regwire_bot')).toBe(true);
    expect(isAddressedTo(readCommand('/list@other_bot')!, 'regwire_bot')).toBe(false);
  });
});

describe('parseScheduleArgs', () => {
  const read = (payload: string) => parseScheduleArgs(payload, TZ, NOW, DESTS);

  it('reads phrases in the editor zone and shows them back', () => {
    expect(read('k3m9x2qa 14:30')).toMatchObject({
      ok: true,
      when: { mode: 'at', atMs: Date.UTC(2026, 10, 28, 13, 30) },
      display: 'Sat 28 Nov 2026, 14:30 (Europe/Berlin)',
      targets: [],
    });
    expect(read('k3m9x2qa tomorrow 09:00')).toMatchObject({
      ok: true,
      when: { atMs: Date.UTC(2026, 10, 29, 8, 0) },
    });
    expect(read('k3m9x2qa in 2h')).toMatchObject({ ok: true, when: { atMs: NOW + 7_200_000 } });
    expect(read('k3m9x2qa 2026-12-01 08:00')).toMatchObject({
      ok: true,
      when: { atMs: Date.UTC(2026, 11, 1, 7, 0) },
    });
    expect(read('k3m9x2qa 2026-12-01T08:00:00Z')).toMatchObject({
      ok: true,
      when: { atMs: Date.UTC(2026, 11, 1, 8, 0) },
    });
    expect(read('k3m9x2qa 12:00')).toMatchObject({ ok: true, note: '12:00 has passed today: tomorrow' });
  });

  it('reads mode words and per-destination targets before or after the time', () => {
    expect(read('k3m9x2qa now')).toMatchObject({ ok: true, when: { mode: 'now' } });
    expect(read('k3m9x2qa breaking')).toMatchObject({ ok: true, when: { mode: 'breaking' } });
    expect(read('k3m9x2qa tg next')).toMatchObject({
      ok: true,
      when: { mode: 'next-slot' },
      targets: ['tg'],
    });
    expect(read('k3m9x2qa in 1h x')).toMatchObject({ ok: true, targets: ['x'] });
    expect(read('k3m9x2qa x-main TG in 1h')).toMatchObject({ ok: true, targets: ['x-main', 'tg'] });
  });

  it('refuses past times and nonsense with an example of what works', () => {
    for (const payload of [
      'k3m9x2qa 2020-01-01 08:00',
      'k3m9x2qa whenever',
      'k3m9x2qa',
      '',
      'k3m9x2qa tg',
      'k3m9x2qa 2026-02-30 10:00',
    ]) {
      const result = read(payload);
      expect(result.ok, payload).toBe(false);
      if (!result.ok) expect(result.error).toContain('/schedule k3m9x2qa tomorrow 09:00');
    }
  });
});

describe('parseEditArgs', () => {
  it('reads title, body, a full replacement, or the id alone', () => {
    expect(parseEditArgs('k3m9x2qa title New headline')).toEqual({
      ok: true,
      storyRef: 'k3m9x2qa',
      changes: { title: 'New headline' },
    });
    expect(parseEditArgs('k3m9x2qa body: First para\n\nSecond')).toEqual({
      ok: true,
      storyRef: 'k3m9x2qa',
      changes: { body: 'First para\n\nSecond' },
    });
    expect(parseEditArgs('k3m9x2qa\nHeadline\n\nBody text')).toEqual({
      ok: true,
      storyRef: 'k3m9x2qa',
      changes: { title: 'Headline', body: 'Body text' },
    });
    expect(parseEditArgs('k3m9x2qa')).toEqual({ ok: true, storyRef: 'k3m9x2qa', changes: undefined });
    expect(parseEditArgs('k3m9x2qa title').ok).toBe(false);
    expect(parseEditArgs('').ok).toBe(false);
  });
});

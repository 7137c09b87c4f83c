import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type CallbackAction, decodeCallback, encodeCallback } from '../../../src/bot/callback-data.js';

describe('callback data', () => {
  const actions: CallbackAction[] = [
    { kind: 'preview', action: 'next-slot', storyId: 'k3m9x2qa' },
    { kind: 'preview', action: 'discard', storyId: 'k3m9x2qa' },
    { kind: 'alert', action: 'posted', storyId: 'k3m9x2qa', destination: 'a'.repeat(32) },
    { kind: 'list', offset: 16 },
    { kind: 'digest-send' },
    { kind: 'alert', action: 'anyway', storyId: 'k3m9x2qa', destination: 'x' },
    { kind: 'alert', action: 'hold', storyId: 'k3m9x2qa', destination: 'x' },
    { kind: 'alert', action: 'nolink', storyId: 'k3m9x2qa', destination: 'x' },
    { kind: 'link', link: 'last', storyId: 'k3m9x2qa' },
    { kind: 'link', link: 'none', storyId: 'k3m9x2qa' },
  ];

  it('round-trips every action within 64 bytes', () => {
    for (const action of actions) {
      const data = encodeCallback(action);
      expect(Buffer.byteLength(data)).toBeLessThanOrEqual(64);
      expect(decodeCallback(data)).toEqual(action);
    }
    expect(encodeCallback(actions[0]!)).toBe('p:n:k3m9x2qa');
  });

  it('reads stale, forged or malformed data as undefined, never throwing', () => {
    for (const data of [
      undefined,
      '',
      'p',
      'p:x:k3m9x2qa',
      'p:n:',
      'p:n:K3M9X2QA',
      'p:n:a:b',
      'a:r:k3m9x2qa',
      'a:r:k3m9x2qa:X',
      'l:-1',
      'l:9999999',
      'g:x',
      'v0:publish:1',
      'x:q:k3m9x2qa',
      'x:n:k3m9x2qa:x',
    ]) {
      expect(decodeCallback(data), String(data)).toBeUndefined();
    }
    fc.assert(fc.property(fc.string({ maxLength: 80 }), (data) => void decodeCallback(data)));
  });

  it('refuses to encode data Telegram would reject', () => {
    expect(() =>
      encodeCallback({ kind: 'alert', action: 'retry', storyId: 'k3m9x2qa', destination: 'd'.repeat(60) }),
    ).toThrow(RangeError);
  });
});

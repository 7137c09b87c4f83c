import { describe, expect, it } from 'vitest';
import { decideAccess } from '../../../src/bot/access-policy.js';
import { FloodGate } from '../../../src/bot/flood-gate.js';
import { readStoryRef } from '../../../src/bot/story-ref.js';

describe('decideAccess', () => {
  const policy = { editorIds: [1, 2], editorsChatId: -100 };
  it("allows configured editors, writers in the editors' chat and members seen there; refuses the rest", () => {
    expect(decideAccess({ userId: 1, chatId: 1 }, policy)).toEqual({ allowed: true, reason: 'editor-id' });
    expect(decideAccess({ userId: 7, chatId: -100 }, policy)).toEqual({
      allowed: true,
      reason: 'editors-chat',
    });
    expect(decideAccess({ userId: 7, chatId: 7 }, policy, true)).toEqual({
      allowed: true,
      reason: 'known-member',
    });
    expect(decideAccess({ userId: 7, chatId: 7 }, policy)).toEqual({
      allowed: false,
      reason: 'not-an-editor',
    });
    expect(decideAccess({ userId: 7, chatId: 7 }, { editorIds: [1] }, true)).toEqual({
      allowed: false,
      reason: 'not-an-editor',
    });
    expect(decideAccess({ userId: undefined, chatId: -100 }, policy)).toEqual({
      allowed: false,
      reason: 'no-user',
    });
  });
});

describe('FloodGate', () => {
  it('allows the limit, warns once, drops the rest, and forgets after the window', () => {
    let now = 0;
    const gate = new FloodGate({ limit: 3, windowMs: 10_000, now: () => now });
    expect([1, 2, 3, 4, 5, 6].map(() => gate.take(9))).toEqual([
      'allow',
      'allow',
      'allow',
      'warn',
      'drop',
      'drop',
    ]);
    expect(gate.take(8)).toBe('allow');
    expect(gate.waitSeconds(9)).toBe(10);
    now = 9_999;
    expect(gate.take(9)).toBe('drop');
    now = 10_000;
    expect(gate.take(9)).toBe('allow');
    expect(gate.take(9)).toBe('allow');
    expect(gate.take(9)).toBe('allow');
    expect(gate.take(9)).toBe('warn');
  });
});

describe('readStoryRef', () => {
  it('normalizes case, # and look-alike letters; explains what is wrong', () => {
    expect(readStoryRef(' #K3M9X2QA ')).toEqual({ ok: true, id: 'k3m9x2qa' });
    expect(readStoryRef('ab0ode1l')).toEqual({ ok: true, id: 'ab00de11' });
    expect(readStoryRef('')).toMatchObject({ ok: false, error: expect.stringContaining('Which story?') });
    expect(readStoryRef('short')).toMatchObject({
      ok: false,
      error: expect.stringContaining('is not a story id'),
    });
    expect(readStoryRef('k3m9x2q!')).toMatchObject({ ok: false });
    expect(readStoryRef('x'.repeat(500))).toMatchObject({ ok: false, error: expect.stringContaining('…') });
  });
});

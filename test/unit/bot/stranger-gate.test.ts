import { describe, expect, it } from 'vitest';
import { StrangerGate } from '../../../src/bot/stranger-gate.js';

describe('StrangerGate', () => {
  it('tells a stranger once per quiet period and forgets someone seen in the editors’ chat', () => {
    let now = 0;
    const gate = new StrangerGate(() => now, 1_000);
    expect(gate.isRefused(7)).toBe(false);
    expect(gate.refuse(7)).toBe(true);
    expect(gate.isRefused(7)).toBe(true);
    now = 999;
    expect(gate.refuse(7)).toBe(false);
    now = 1_000;
    expect(gate.isRefused(7)).toBe(false);
    expect(gate.refuse(7)).toBe(true);
    gate.forget(7);
    expect(gate.isRefused(7)).toBe(false);
  });
});

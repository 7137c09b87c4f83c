import { describe, expect, it } from 'vitest';
import { budgetHold } from '../../../src/domain/x-budget.js';

describe('X budget hold', () => {
  const spent = { dayUsd: 0.245, monthUsd: 4.5 };

  it('gives both periods’ figures, the limit broken first', () => {
    expect(budgetHold(spent, 0.245, { dailyUsd: 0.35, monthlyUsd: 10, breakingMayOverrun: true })).toBe(
      "held: this story costs $0.245 on X and today's spend is $0.245 of the $0.350 daily budget; " +
        "this month's is $4.500 of the $10.000 monthly budget",
    );
    expect(budgetHold(spent, 0.245, { monthlyUsd: 4.6, breakingMayOverrun: true })).toBe(
      "held: this story costs $0.245 on X and this month's spend is $4.500 of the $4.600 monthly budget; " +
        "today's is $0.245 (no daily budget)",
    );
  });

  it('lets through what fits to the cent, and breaking news when it may overrun', () => {
    expect(budgetHold(spent, 0.105, { dailyUsd: 0.35, breakingMayOverrun: false })).toBeUndefined();
    expect(budgetHold(spent, 0.106, { dailyUsd: 0.35, breakingMayOverrun: false })).toMatch(/^held: /);
    expect(budgetHold(spent, 1, { dailyUsd: 0.35, breakingMayOverrun: true }, true)).toBeUndefined();
    expect(budgetHold(spent, 1, { dailyUsd: 0.35, breakingMayOverrun: false }, true)).toMatch(/^held: /);
  });
});

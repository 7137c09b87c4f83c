import { describe, expect, it } from 'vitest';
import { spendText, storyCostLines } from '../../../src/bot/spend-text.js';

const REPORT = {
  pricesReadOn: '2026-12-04',
  lines: [
    {
      destination: 'x',
      todayUsd: 0.49,
      monthUsd: 3.2,
      monthForecastUsd: 24.8,
      budget: { dailyUsd: 0.5 },
      story: { totalUsd: 0.256, byKind: { create: 0.045, 'create-with-url': 0.2, read: 0.011 } },
    },
  ],
};

describe('spend text', () => {
  it('/spend: today and the month against the budget, and the month’s forecast', () => {
    expect(
      spendText({ ...REPORT, lines: REPORT.lines.map((l) => ({ ...l, yesterdayUsd: 0.245 })) }),
    ).toContain('• x: today $0.490 of $0.500 · yesterday $0.245 · this month $3.200');
    expect(spendText(REPORT)).toBe(
      'X spend (UTC days, prices read 2026-12-04):\n• x: today $0.490 of $0.500 · this month $3.200 · forecast $24.800 for the month',
    );
    expect(spendText({ pricesReadOn: '', lines: [] })).toMatch(/No X destination/);
  });

  it('/status: what the story cost, reconcile reads apart', () => {
    expect(storyCostLines(REPORT)).toEqual(['Cost on x: $0.256 (posts $0.245, reads $0.011)']);
  });
});

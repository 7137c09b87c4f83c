import type { XSpendLine, XSpendReport } from '../ports/x-spend-report.js';

const money = (usd: number): string => `$${usd.toFixed(3)}`;
const ofBudget = (usd: number, limit: number | undefined): string =>
  limit === undefined ? money(usd) : `${money(usd)} of ${money(limit)}`;

/** `/spend`: each X destination's spend today, this month, the month's forecast and the budget. */
export function spendText(report: XSpendReport): string {
  if (report.lines.length === 0) return 'No X destination counts its spend here.';
  const lines = report.lines.map(
    (l: XSpendLine) =>
      `• ${l.destination}: today ${ofBudget(l.todayUsd, l.budget.dailyUsd)} · this month ${ofBudget(l.monthUsd, l.budget.monthlyUsd)} · forecast ${money(l.monthForecastUsd)} for the month`,
  );
  return [`X spend (UTC days, prices read ${report.pricesReadOn}):`, ...lines].join('\n');
}

/** The `/status` line: what the story cost on each X destination so far, reconcile reads included. */
export function storyCostLines(report: XSpendReport): string[] {
  return report.lines.flatMap((l) => {
    if (!l.story || l.story.totalUsd === 0) return [];
    const reads = l.story.byKind.read ?? 0;
    return [
      `Cost on ${l.destination}: ${money(l.story.totalUsd)} (posts ${money(l.story.totalUsd - reads)}, reads ${money(reads)})`,
    ];
  });
}

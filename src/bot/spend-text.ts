import type { XSpendLine, XSpendReport } from '../ports/x-spend-report.js';
import { describeInstant } from '../schedule/describe-instant.js';

/** A digest reaching editors this long after it was made says it is late (the bot was down meanwhile). */
export const DIGEST_LATE_AFTER_MS = 3_600_000;

const money = (usd: number): string => `$${usd.toFixed(3)}`;
const ofBudget = (usd: number, limit: number | undefined): string =>
  limit === undefined ? money(usd) : `${money(usd)} of ${money(limit)}`;

/** `/spend`: each X destination's spend today (and yesterday), this month, the month's forecast and the budget. */
export function spendText(report: XSpendReport): string {
  if (report.lines.length === 0) return 'No X destination counts its spend here.';
  const lines = report.lines.map(
    (l: XSpendLine) =>
      `• ${l.destination}: today ${ofBudget(l.todayUsd, l.budget.dailyUsd)}${l.yesterdayUsd === undefined ? '' : ` · yesterday ${money(l.yesterdayUsd)}`} · this month ${ofBudget(l.monthUsd, l.budget.monthlyUsd)} · forecast ${money(l.monthForecastUsd)} for the month`,
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

/**
 * The editors' daily digest: what X cost on `day` (yesterday, UTC) and this month so far against the
 * budget, per X destination, e.g. "• x: $0.490 on 2026-12-03 (of $0.500 a day) · this month $4.210 of
 * $15.000 · forecast $31.320". With `late` (when it was made, now, the desk's time zone) it opens with a
 * "⏰ Late: made …" line when it reaches editors more than {@link DIGEST_LATE_AFTER_MS} after it was made.
 */
export function editorsDigestText(
  day: string,
  report: XSpendReport,
  late?: { readonly madeAtMs: number; readonly nowMs: number; readonly timeZone: string },
): string {
  const lateLine =
    late && late.nowMs - late.madeAtMs > DIGEST_LATE_AFTER_MS
      ? [`⏰ Late: made ${describeInstant(late.madeAtMs, late.timeZone)}, while the bot was not running.`]
      : [];
  if (report.lines.length === 0)
    return [...lateLine, `Editors' digest for ${day}: no X destination counts its spend here.`].join('\n');
  const lines = report.lines.map((l) => {
    const daily = l.budget.dailyUsd === undefined ? '' : ` (of ${money(l.budget.dailyUsd)} a day)`;
    return (
      `• ${l.destination}: ${money(l.yesterdayUsd ?? 0)} on ${day}${daily} · ` +
      `this month ${ofBudget(l.monthUsd, l.budget.monthlyUsd)} · forecast ${money(l.monthForecastUsd)}`
    );
  });
  return [
    ...lateLine,
    `📊 Editors' digest for ${day} (UTC): what X cost`,
    ...lines,
    `Prices read ${report.pricesReadOn}. /spend for today.`,
  ].join('\n');
}

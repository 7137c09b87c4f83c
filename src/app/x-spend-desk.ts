import type { DestinationConfig } from '../config/config.js';
import type { XBudget } from '../domain/x-budget.js';
import { addUsd } from '../format/x-cost.js';
import type { XBudgetLeft } from '../ops/metrics.js';
import type { SpendLedger } from '../ports/spend-ledger.js';
import type { XSpendLine, XSpendReport } from '../ports/x-spend-report.js';

/** What the desk needs to report X's spend. */
export interface XSpendDeskDeps {
  readonly ledger: SpendLedger;
  readonly destinations: readonly DestinationConfig[];
  readonly budget: XBudget;
  readonly pricesReadOn: string;
  readonly now: () => number;
}

const DAY_MS = 86_400_000;

/** The desk's `/spend` and the cost line of `/status`: spend per X destination, forecast, budget. */
export class XSpendDesk {
  constructor(private readonly deps: XSpendDeskDeps) {}

  async report(storyId?: string): Promise<XSpendReport> {
    const { ledger, budget, now } = this.deps;
    const at = now();
    const lines: XSpendLine[] = [];
    for (const d of this.deps.destinations) {
      if (d.platform !== 'x') continue;
      const totals = await ledger.totals(d.id, at);
      const yesterday = await ledger.totals(d.id, at - DAY_MS);
      const story = storyId === undefined ? undefined : await ledger.ofStory(storyId, d.id);
      lines.push({
        destination: d.id,
        todayUsd: totals.dayUsd,
        monthUsd: totals.monthUsd,
        yesterdayUsd: yesterday.dayUsd,
        monthForecastUsd: forecast(totals.monthUsd, at),
        budget: {
          ...(budget.dailyUsd === undefined ? {} : { dailyUsd: budget.dailyUsd }),
          ...(budget.monthlyUsd === undefined ? {} : { monthlyUsd: budget.monthlyUsd }),
        },
        ...(story ? { story: { totalUsd: addUsd(...Object.values(story)), byKind: story } } : {}),
      });
    }
    return { lines, pricesReadOn: this.deps.pricesReadOn };
  }
}

/** What is left of each X destination's budget in `report` (only the periods that have one), exact to $0.000001. */
export function budgetLeft(report: XSpendReport): XBudgetLeft[] {
  return report.lines.flatMap((line) => [
    ...(line.budget.dailyUsd === undefined
      ? []
      : [
          {
            destination: line.destination,
            period: 'daily' as const,
            usd: addUsd(line.budget.dailyUsd, -line.todayUsd),
          },
        ]),
    ...(line.budget.monthlyUsd === undefined
      ? []
      : [
          {
            destination: line.destination,
            period: 'monthly' as const,
            usd: addUsd(line.budget.monthlyUsd, -line.monthUsd),
          },
        ]),
  ]);
}

// The month so far, stretched over the whole UTC month at the same pace.
function forecast(monthUsd: number, atMs: number): number {
  const now = new Date(atMs);
  const start = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1);
  const end = Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1);
  const elapsedDays = Math.max((atMs - start) / DAY_MS, 1);
  return Math.round((monthUsd / elapsedDays) * ((end - start) / DAY_MS) * 1_000) / 1_000;
}

import type { StoryRecord } from '../src/domain/publication.js';
import { budgetHold, type XBudget } from '../src/domain/x-budget.js';
import { threadCost, type XPricing } from '../src/format/x-cost.js';
import type { SpendEntry, SpendLedger } from '../src/ports/spend-ledger.js';
import type { Logger } from '../src/util/logger.js';
import type { XSpendMeter } from './part-sender.js';

/**
 * Counts each X call's cost in `ledger` for `destination` (and tells `onCharge`, for metrics); a record that
 * fails is logged, never thrown.
 */
export function spendMeter(
  ledger: SpendLedger,
  destination: string,
  pricing: XPricing,
  logger: Logger,
  onCharge?: (entry: SpendEntry) => void,
): XSpendMeter {
  return {
    pricing,
    charge(storyId, entry) {
      onCharge?.(entry);
      ledger
        .record(destination, storyId, entry)
        .catch((err: Error) =>
          logger.warn({ storyId, destination, err: err.message, usd: entry.usd }, 'could not record X spend'),
        );
    },
  };
}

/**
 * Before a story's first tweet: why it must be held for an editor (its thread would take the day's or the
 * month's X spend over `budget`), or undefined. Undefined too when the budget sets no limit.
 */
export type BudgetGate = (record: StoryRecord, breaking: boolean) => Promise<string | undefined>;

/** The {@link BudgetGate} of one X destination: the thread's cost at `pricing` against what was spent. */
export function xBudgetGate(
  ledger: SpendLedger,
  destination: string,
  pricing: XPricing,
  budget: XBudget,
  now: () => number,
): BudgetGate | undefined {
  if (budget.dailyUsd === undefined && budget.monthlyUsd === undefined) return undefined;
  return async (record, breaking) => {
    const cost = threadCost(record.rendered.x, pricing).totalUsd;
    return budgetHold(await ledger.totals(destination, now()), cost, budget, breaking);
  };
}

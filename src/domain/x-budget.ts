/** `x.budget` as the budget check reads it (USD; absent: no limit). */
export interface XBudget {
  readonly dailyUsd?: number;
  readonly monthlyUsd?: number;
  readonly breakingMayOverrun: boolean;
}

/**
 * Why a story costing `costUsd` must be held rather than posted, or undefined when the budget allows it:
 * the day's or the month's spend would go over its limit. Breaking news passes when the budget says it may
 * overrun. One line for an editor, with the figures: the limit it would break first, then the other period's
 * spend (and its budget, when there is one).
 */
export function budgetHold(
  spent: { readonly dayUsd: number; readonly monthUsd: number },
  costUsd: number,
  budget: XBudget,
  breaking = false,
): string | undefined {
  if (breaking && budget.breakingMayOverrun) return undefined;
  const money = (usd: number) => `$${usd.toFixed(3)}`;
  const over = (spentUsd: number, limit: number | undefined) =>
    limit !== undefined && spentUsd + costUsd > limit + 1e-9;
  const of = (limit: number | undefined, period: string) =>
    limit === undefined ? `(no ${period} budget)` : `of the ${money(limit)} ${period} budget`;
  if (over(spent.dayUsd, budget.dailyUsd)) {
    return (
      `held: this story costs ${money(costUsd)} on X and today's spend is ${money(spent.dayUsd)} ${of(budget.dailyUsd, 'daily')}; ` +
      `this month's is ${money(spent.monthUsd)} ${of(budget.monthlyUsd, 'monthly')}`
    );
  }
  if (over(spent.monthUsd, budget.monthlyUsd)) {
    return (
      `held: this story costs ${money(costUsd)} on X and this month's spend is ${money(spent.monthUsd)} ${of(budget.monthlyUsd, 'monthly')}; ` +
      `today's is ${money(spent.dayUsd)} ${of(budget.dailyUsd, 'daily')}`
    );
  }
  return undefined;
}

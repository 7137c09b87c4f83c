/** What one X destination has cost, and its budget (USD). */
export interface XSpendLine {
  readonly destination: string;
  /** The current UTC day, and month so far. */
  readonly todayUsd: number;
  readonly monthUsd: number;
  /** The UTC day before today (absent where the report does not say). */
  readonly yesterdayUsd?: number;
  /** The month's spend at the pace of the month so far (month so far ÷ days elapsed × days in month). */
  readonly monthForecastUsd: number;
  readonly budget: { readonly dailyUsd?: number; readonly monthlyUsd?: number };
  /** With a story asked for: what it cost there so far, by kind (create, create-with-url, read). */
  readonly story?: { readonly totalUsd: number; readonly byKind: Readonly<Record<string, number>> };
}

/** `Desk.xSpend`: each X destination's spend, in the desk's destinations' order. */
export interface XSpendReport {
  readonly lines: readonly XSpendLine[];
  /** The day X's prices were read (`x.pricing.readOn`). */
  readonly pricesReadOn: string;
}

import type { XSpendMeter } from '../../jobs/part-sender.js';
import { type BudgetGate, spendMeter, xBudgetGate } from '../../jobs/x-spend.js';
import type { RedisClient } from '../adapters/redis/redis-connection.js';
import { RedisCreditHolds } from '../adapters/redis/redis-credit-holds.js';
import { RedisSpendLedger } from '../adapters/redis/redis-spend-ledger.js';
import type { Config } from '../config/config.js';
import type { RegwireMetrics } from '../ops/metrics.js';
import type { CreditHolds } from '../ports/credit-holds.js';
import type { SpendLedger } from '../ports/spend-ledger.js';
import type { Logger } from '../util/logger.js';

/** What the publish workers need to count X's costs, keep its budget and ride out its credits running dry. */
export interface XBillingWiring {
  readonly spend: SpendLedger;
  readonly creditHolds: CreditHolds;
  readonly creditsProbeMs: number;
  /** X destination id → its budget check (only with a budget set). */
  readonly budgetGates: ReadonlyMap<string, BudgetGate>;
  /** The spend meter of one X destination's part sender. */
  meter(destination: string): XSpendMeter;
}

/**
 * Builds {@link XBillingWiring} on the app's Redis from `config.xBilling` (`x` in `regwire.json`); with
 * `metrics`, every cost also counts in `regwire_x_spend_usd_total`.
 */
export function xBillingWiring(
  redis: RedisClient,
  config: Config,
  logger: Logger,
  metrics?: RegwireMetrics,
): XBillingWiring {
  const spend = new RedisSpendLedger(redis, config.queuePrefix);
  const { pricing, budget, credits } = config.xBilling;
  const budgetGates = new Map<string, BudgetGate>();
  for (const d of config.destinations) {
    if (d.platform !== 'x') continue;
    const gate = xBudgetGate(spend, d.id, pricing, budget, Date.now);
    if (gate) budgetGates.set(d.id, gate);
  }
  return {
    spend,
    creditHolds: new RedisCreditHolds(redis, config.queuePrefix),
    creditsProbeMs: credits.probeMs,
    budgetGates,
    meter: (destination) =>
      spendMeter(spend, destination, pricing, logger, (entry) =>
        metrics?.xSpend(destination, entry.kind, entry.usd),
      ),
  };
}

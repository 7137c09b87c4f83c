import { xPricingSchema } from '../../../config/x-billing-schema.js';
import { addUsd, containsUrl, timesUsd, type XPricing } from '../../../format/x-cost.js';
import { jsonReply, type StandInReply } from './x-problems.js';
import type {
  XStandInAccount,
  XStandInBilling,
  XStandInBillingState,
  XStandInCharge,
  XStandInChargeKind,
} from './x-standin-types.js';

/** What the stand-in bills beyond regwire's own price table (X's page: "User: Read", "Interaction: Delete"). */
export interface StandInExtraPrices {
  readonly userReadUsd: number;
  readonly deleteUsd: number;
}

/** How billing starts. Without a balance or limit the account never runs out. */
export interface CreditLedgerOptions {
  readonly pricing?: XPricing;
  readonly extra?: Partial<StandInExtraPrices>;
  readonly balanceUsd?: number;
  readonly spendingLimitUsd?: number;
  readonly now: () => number;
}

const DEFAULT_EXTRA: StandInExtraPrices = { userReadUsd: 0.01, deleteUsd: 0.01 };
// Far enough ahead that a stand-in run never reaches it; only shown in the spend-cap body.
const CYCLE_DAYS = 30;

/**
 * X's pay-per-use billing, as the stand-in plays it: each successful request is billed at the configured
 * prices (a post by whether its text holds a URL; reads per post returned, each post once per UTC day;
 * refused requests never), against a prepaid balance and an optional spending limit. Once the balance is
 * at or below zero every request is refused with X's 402 `CreditsDepleted`; at the spending limit, with
 * X's 403 `SpendCapReached` (bodies as in `test/contract/fixtures/x/`).
 */
export class CreditLedger implements XStandInBilling {
  readonly #pricing: XPricing;
  readonly #extra: StandInExtraPrices;
  readonly #now: () => number;
  readonly #initial: { balanceUsd: number | null; spendingLimitUsd: number | null };
  #balanceUsd: number | null;
  #spendingLimitUsd: number | null;
  #charges: XStandInCharge[] = [];
  // `${UTC day} ${post id}`: X bills a post read once a day, however often it is read.
  #readToday = new Set<string>();

  constructor(options: CreditLedgerOptions) {
    this.#pricing = options.pricing ?? xPricingSchema.parse({});
    this.#extra = { ...DEFAULT_EXTRA, ...options.extra };
    this.#now = options.now;
    this.#initial = {
      balanceUsd: options.balanceUsd ?? null,
      spendingLimitUsd: options.spendingLimitUsd ?? null,
    };
    this.#balanceUsd = this.#initial.balanceUsd;
    this.#spendingLimitUsd = this.#initial.spendingLimitUsd;
  }

  state(): XStandInBillingState {
    return {
      balanceUsd: this.#balanceUsd,
      spentUsd: addUsd(...this.#charges.map((c) => c.usd)),
      spendingLimitUsd: this.#spendingLimitUsd,
      pricing: this.#pricing,
      charges: [...this.#charges],
    };
  }

  topUp(usd: number): void {
    this.#balanceUsd = addUsd(this.#balanceUsd ?? 0, usd);
  }

  setBalance(usd: number | null): void {
    this.#balanceUsd = usd;
  }

  setSpendingLimit(usd: number | null): void {
    this.#spendingLimitUsd = usd;
  }

  runOut(what: 'credits' | 'spend-cap'): void {
    if (what === 'credits') this.#balanceUsd = 0;
    else this.#spendingLimitUsd = this.state().spentUsd;
  }

  reset(): void {
    this.#balanceUsd = this.#initial.balanceUsd;
    this.#spendingLimitUsd = this.#initial.spendingLimitUsd;
    this.#charges = [];
    this.#readToday.clear();
  }

  /** X's refusal of any request while the account cannot pay, or undefined when it can. */
  refusal(account: XStandInAccount): StandInReply | undefined {
    if (this.#balanceUsd !== null && this.#balanceUsd <= 0) {
      return jsonReply(402, {
        account_id: Number(account.userId),
        title: 'CreditsDepleted',
        detail: `Your enrolled account [${account.userId}] does not have any credits to fulfill this request.`,
        type: 'https://api.twitter.com/2/problems/credits',
      });
    }
    if (this.#spendingLimitUsd !== null && this.state().spentUsd >= this.#spendingLimitUsd) {
      const resetDate = new Date(this.#now() + CYCLE_DAYS * 86_400_000).toISOString().slice(0, 10);
      return jsonReply(403, {
        title: 'SpendCapReached',
        detail: `Your enrolled account [${account.userId}] has reached its spending limit for this billing cycle.`,
        reset_date: resetDate,
        type: 'https://api.twitter.com/2/problems/credits',
      });
    }
    return undefined;
  }

  /** Bills a request X answered with success: `text` for a post created, `postIds` for posts returned. */
  bill(
    route: string,
    what:
      | { readonly create: string }
      | { readonly read: readonly string[]; readonly own: boolean }
      | { readonly userRead: true }
      | { readonly delete: true },
  ): void {
    if ('create' in what) {
      const url = containsUrl(what.create);
      const kind: XStandInChargeKind = url ? 'create-with-url' : 'create';
      this.#charge(route, kind, 1, url ? this.#pricing.createWithUrlUsd : this.#pricing.createUsd);
    } else if ('read' in what) {
      const day = new Date(this.#now()).toISOString().slice(0, 10);
      const fresh = what.read.filter((id) => {
        const key = `${day} ${id}`;
        if (this.#readToday.has(key)) return false;
        this.#readToday.add(key);
        return true;
      });
      if (fresh.length === 0) return;
      const price = what.own ? this.#pricing.ownedPostReadUsd : this.#pricing.postReadUsd;
      this.#charge(route, what.own ? 'owned-post-read' : 'post-read', fresh.length, price);
    } else if ('userRead' in what) {
      this.#charge(route, 'user-read', 1, this.#extra.userReadUsd);
    } else {
      this.#charge(route, 'delete', 1, this.#extra.deleteUsd);
    }
  }

  #charge(route: string, kind: XStandInChargeKind, units: number, unitUsd: number): void {
    const usd = timesUsd(unitUsd, units);
    this.#charges.push({ route, kind, units, usd, at: new Date(this.#now()).toISOString() });
    if (this.#balanceUsd !== null) this.#balanceUsd = addUsd(this.#balanceUsd, -usd);
  }
}

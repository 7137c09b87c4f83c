import type { Rendered, XPost } from '../domain/rendered.js';
import type { Story } from '../domain/story.js';
import { X_LINK_POLICIES, type XLinkPolicy } from '../domain/x-link-policy.js';
import { render } from './render.js';
import type { RenderOptions } from './render-options.js';
import { readCost, threadCost, timesUsd, type XPostCost, type XPricing } from './x-cost.js';

/** One link policy's cost for a story, and for `stories` like it a day. */
export interface XCostRow {
  readonly link: XLinkPolicy;
  readonly tweets: number;
  /** 1-based numbers of the tweets holding a URL. */
  readonly postsWithUrl: readonly number[];
  readonly perStoryUsd: number;
  readonly perDayUsd: number;
  /** 30 days at that pace. */
  readonly per30DaysUsd: number;
}

/** What posting a story on X costs under each link policy, `stories` a day, at `pricing`. */
export interface XCostExample {
  readonly storiesPerDay: number;
  readonly pricing: XPricing;
  readonly rows: readonly XCostRow[];
  /** What one reconcile costs at most (a full look, `readLimit` posts, then 100), own-timeline reads. */
  readonly reconcileUsd: { readonly firstLook: number; readonly worst: number };
}

/**
 * The worked example `regwire cost` prints: the story rendered under each link policy (every other option
 * as configured), priced post by post. Pure.
 */
export function xCostExample(
  story: Story,
  options: RenderOptions,
  pricing: XPricing,
  storiesPerDay: number,
  readLimit: number,
): XCostExample {
  const rows = X_LINK_POLICIES.map((link): XCostRow => {
    const x = render(story, { ...options, x: { ...options.x, linkPlacement: link } }).x;
    const cost = threadCost(x, pricing);
    const perDayUsd = timesUsd(cost.totalUsd, storiesPerDay);
    return {
      link,
      tweets: x.length,
      postsWithUrl: cost.postsWithUrl,
      perStoryUsd: cost.totalUsd,
      perDayUsd,
      per30DaysUsd: timesUsd(perDayUsd, 30),
    };
  });
  return {
    storiesPerDay,
    pricing,
    rows,
    reconcileUsd: {
      firstLook: readCost(readLimit, pricing),
      worst: timesUsd(readCost(readLimit + 100, pricing), 2),
    },
  };
}

/** A rendered thread's posts with what each costs, and the thread's total (`regwire render`'s `cost`). */
export function pricedThread(
  rendered: Rendered,
  pricing: XPricing,
): { readonly x: readonly (XPost & { readonly cost: XPostCost })[]; readonly xCost: XThreadCostSummary } {
  const cost = threadCost(rendered.x, pricing);
  return {
    x: rendered.x.map((post, i) => ({ ...post, cost: cost.parts[i] ?? { kind: 'create', usd: 0 } })),
    xCost: { totalUsd: cost.totalUsd, postsWithUrl: cost.postsWithUrl, pricesReadOn: pricing.readOn },
  };
}

/** The thread's total as `regwire render` prints it. */
export interface XThreadCostSummary {
  readonly totalUsd: number;
  readonly postsWithUrl: readonly number[];
  /** The day the prices were read from X's page. */
  readonly pricesReadOn: string;
}

/** One line for an editor: "6 tweets · $0.275 · link in tweet 6". */
export function costLine(tweets: number, totalUsd: number, postsWithUrl: readonly number[]): string {
  const link =
    postsWithUrl.length === 0
      ? 'no link'
      : `link in tweet${postsWithUrl.length > 1 ? 's' : ''} ${postsWithUrl.join(', ')}`;
  return `${tweets} tweet${tweets === 1 ? '' : 's'} · $${totalUsd.toFixed(3)} · ${link}`;
}

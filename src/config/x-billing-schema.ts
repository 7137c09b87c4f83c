import { z } from 'zod';
import { timeZoneSchema } from '../schedule/time-zone-schema.js';

const usd = z.number().min(0).max(100);
const isoDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a day as YYYY-MM-DD');

/**
 * `x.pricing`: what X bills per call, in USD. Defaults as read on 2026-12-04 from X's pricing page,
 * https://docs.x.com/x-api/getting-started/pricing (source: github.com/xdevplatform/docs,
 * `x-api/getting-started/pricing.mdx`, last changed 2026-08-13, read at commit 2871328): "Post: Create
 * $0.015 per request", "Post: Create (with URL) $0.200 per request", "Posts: Read $0.005 per resource",
 * and "Owned Reads" (`GET /2/users/{id}/tweets` for the app owner's own account) "$0.001 per resource".
 * Reads are deduplicated per post within a UTC day, and failed requests are not billed
 * (`x-api/fundamentals/post-cap.mdx`), so these are upper bounds. When X changes its prices, change them
 * here or in `config/regwire.json`, with the day they were read.
 */
export const xPricingSchema = z
  .object({
    /** USD per `POST /2/tweets` with no URL in its text. */
    createUsd: usd.default(0.015),
    /** USD per `POST /2/tweets` whose text holds a URL (as twitter-text finds them; bare domains too). */
    createWithUrlUsd: usd.default(0.2),
    /** USD per post returned by a read of other accounts' posts. */
    postReadUsd: usd.default(0.005),
    /** USD per post returned by a read of the account's own timeline (what a reconcile reads). */
    ownedPostReadUsd: usd.default(0.001),
    /** The day the prices above were read from X's page. */
    readOn: isoDay.default('2026-12-04'),
  })
  .strict()
  .prefault({});

/**
 * `x.budget`: how much regwire may spend on X. A story whose thread would take the day's or the month's
 * spend over is held for an editor, never dropped. Days and months are UTC, as the spend ledger counts them.
 */
export const xBudgetSchema = z
  .object({
    /** USD per day; none when absent. */
    dailyUsd: z.number().positive().optional(),
    /** USD per calendar month; none when absent. */
    monthlyUsd: z.number().positive().optional(),
    /** A story sent as breaking news goes out even when it takes the spend over the budget. */
    breakingMayOverrun: z.boolean().default(true),
  })
  .strict()
  .prefault({});

/** `x.credits`: what regwire does when X refuses calls for want of credits or at the spending limit. */
export const xCreditsSchema = z
  .object({
    /**
     * While X is out of credits, the X queue waits this long between tries (the next send is the probe:
     * X bills no refused request). An editor can resume it sooner.
     */
    probeMs: z
      .number()
      .int()
      .min(1_000)
      .max(24 * 60 * 60 * 1000)
      .default(10 * 60 * 1000),
  })
  .strict()
  .prefault({});

/**
 * `x.editorsDigest`: a daily note to the editors' chat (never the channel) with yesterday's X spend (UTC
 * day) and the month so far against the budget, at `hour`:`minute` in `timeZone`. Sent only when regwire
 * has an X destination.
 */
export const xEditorsDigestSchema = z
  .object({
    enabled: z.boolean().default(true),
    hour: z.number().int().min(0).max(23).default(9),
    minute: z.number().int().min(0).max(59).default(0),
    timeZone: timeZoneSchema,
  })
  .strict()
  .prefault({});

/** The `x` section of `config/regwire.json`: X's billing as regwire sees it. */
export const xBillingSchema = z
  .object({
    pricing: xPricingSchema,
    budget: xBudgetSchema,
    credits: xCreditsSchema,
    editorsDigest: xEditorsDigestSchema,
  })
  .strict()
  .prefault({});

export type XBillingConfig = z.infer<typeof xBillingSchema>;

import { z } from 'zod';

/** The market-moving words the issue (#15) names; whole words, any case. */
export const DEFAULT_MARKET_MOVING_PATTERNS = [
  'approved',
  'approves',
  'ban',
  'bans',
  'arrest',
  'charged',
  'hack',
  'delist',
  'ETF',
] as const;

/**
 * The two-person rule (`approval` in `config/regwire.json`): which stories wait for a second editor
 * (not their author) to approve them before Post now, Breaking or any schedule. Off unless a newsroom
 * turns a rule on; the market-moving words default to {@link DEFAULT_MARKET_MOVING_PATTERNS}.
 */
export const approvalSchema = z
  .object({
    /** Every story. */
    all: z.boolean().default(false),
    /** Stories a feed in `auto` mode took in (they then wait as drafts instead of being scheduled). */
    autoIntake: z.boolean().default(false),
    /** Stories whose title or body contains one of `patterns`. */
    marketMoving: z.boolean().default(false),
    patterns: z
      .array(z.string().min(1).max(60))
      .max(200)
      .default([...DEFAULT_MARKET_MOVING_PATTERNS]),
  })
  .strict()
  .prefault({});

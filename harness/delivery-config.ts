import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TelegramStandIn } from '../src/sandbox/standins/telegram/index.js';
import type { XStandIn } from '../src/sandbox/standins/x/index.js';
import { standInEnv as standInAppEnv } from './stand-in-env.js';

/** The repository's own `config/` folder (format rules are copied from it). */
const REPO_CONFIG_DIR = fileURLToPath(new URL('../config/', import.meta.url));

/** Shortened delivery settings for tests and benchmarks; every field maps to `config/regwire.json`. */
export interface DeliveryTestConfig {
  readonly attempts?: number;
  readonly backoffMs?: number;
  readonly requestTimeoutMs?: number;
  readonly concurrency?: number;
  /** X reconcile: second look after a miss, in ms (default 50 here: tests need no lagging timeline). */
  readonly reconcileRecheckMs?: number;
  /** Telegram pacing: messages per rolling minute and least spacing, in ms. */
  readonly telegramRate?: { readonly perMinute: number; readonly minIntervalMs: number };
  /** X pacing: window length and size, daily cap, spacing of a thread's tweets (ms). */
  readonly xRate?: {
    readonly windowMs: number;
    readonly perWindow: number;
    readonly perDay: number;
    readonly minIntervalMs: number;
  };
  /** Leave a destination out entirely. */
  readonly only?: readonly ('telegram' | 'x')[];
  /** The `x` section of `regwire.json` (prices, budget, credits); defaults when absent. */
  readonly xBilling?: Readonly<Record<string, unknown>>;
  /** Merged over the `x` section of the repository's `format.json` (e.g. long posts). */
  readonly xFormat?: Readonly<Record<string, unknown>>;
}

/** "Limits off": budgets no test run can reach, no spacing. */
export const LIMITS_OFF = {
  telegramRate: { perMinute: 1_000_000, minIntervalMs: 0 },
  xRate: { windowMs: 60_000, perWindow: 1_000_000, perDay: 1_000_000, minIntervalMs: 0 },
} as const;

/**
 * Writes a temporary config folder (`regwire.json` with the given delivery settings, no gap between
 * stories, no quiet hours, digest off; `format.json` copied from the repository). Returns its path and a
 * remover.
 */
export function writeDeliveryConfig(options: DeliveryTestConfig = {}): { dir: string; remove: () => void } {
  const dir = mkdtempSync(path.join(tmpdir(), 'regwire-delivery-'));
  const common = { timeZone: 'UTC', slots: ['12:00'], minGapMs: 0, quietHours: null, dailyCap: null };
  const destinations: Record<string, unknown> = {};
  const only = options.only ?? ['telegram', 'x'];
  if (only.includes('telegram')) {
    destinations.telegram = {
      platform: 'telegram',
      schedule: { ...common, rate: options.telegramRate ?? { perMinute: 600, minIntervalMs: 100 } },
    };
  }
  if (only.includes('x')) {
    destinations.x = {
      platform: 'x',
      schedule: {
        ...common,
        rate: options.xRate ?? { windowMs: 900_000, perWindow: 100, perDay: 2_400, minIntervalMs: 100 },
      },
    };
  }
  const regwire = {
    delivery: {
      attempts: options.attempts ?? 8,
      backoffMs: options.backoffMs ?? 50,
      requestTimeoutMs: options.requestTimeoutMs ?? 1_000,
      concurrency: options.concurrency ?? 4,
      reconcileRecheckMs: options.reconcileRecheckMs ?? 50,
    },
    destinations,
    digest: { enabled: false, hour: 20, minute: 0, timeZone: 'UTC', maxStories: 10 },
    ...(options.xBilling ? { x: options.xBilling } : {}),
  };
  writeFileSync(path.join(dir, 'regwire.json'), JSON.stringify(regwire, null, 2));
  if (options.xFormat) {
    const format = JSON.parse(readFileSync(path.join(REPO_CONFIG_DIR, 'format.json'), 'utf8'));
    format.x = { ...format.x, ...options.xFormat };
    writeFileSync(path.join(dir, 'format.json'), JSON.stringify(format, null, 2));
  } else {
    copyFileSync(path.join(REPO_CONFIG_DIR, 'format.json'), path.join(dir, 'format.json'));
  }
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * {@link standInAppEnv} for the delivery tests: their own config folder, and the sandbox off even when
 * only one stand-in is given.
 */
export function standInEnv(options: {
  redisUrl: string;
  prefix: string;
  configDir: string;
  telegram?: Pick<TelegramStandIn, 'apiRoot'>;
  x?: Pick<XStandIn, 'apiRoot'>;
  telegramChannel?: string;
}): Record<string, string> {
  return { ...standInAppEnv(options), REGWIRE_SANDBOX: 'off' };
}

/**
 * Story `n` of a run: one channel post and a 4-tweet thread. Every paragraph carries `n` (and `tag`), so
 * no two tweets of a run share a text: X refuses duplicates, and reconciliation matches on text.
 */
export function deliveryStory(n: number, tag = 'run'): { title: string; body: string; url: string } {
  return {
    title: `Regulator ${n} opens review of stablecoin reserves (${tag})`,
    body: [
      `The markets authority in district ${n} said on Tuesday it had opened a formal review of how three stablecoin issuers hold and report their reserves, after months of questions.`,
      `Officials in district ${n} will examine custody arrangements, the share of reserves held in short-dated government debt, and how quickly holders can redeem tokens for cash.`,
      `Issuers in district ${n} have 60 days to hand over documents; the authority could order changes to reserve rules or suspend new issuance until problems are fixed.`,
      `The authority in district ${n} said a decision on the three issuers is expected before the end of the quarter, and that it will publish its findings in full once the review is complete.`,
    ].join('\n\n'),
    url: `https://news.example.com/${tag}/review-${n}`,
  };
}

export const SYSTEM_ACTOR = { kind: 'system', name: 'delivery test' } as const;

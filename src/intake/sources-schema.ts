import { z } from 'zod';

/** One weighted term of the relevance dictionary. */
export const relevanceTermSchema = z
  .object({
    /**
     * A word or phrase, matched case-insensitively on word boundaries. A trailing `*` matches any ending
     * (`licen*` matches licence, licensing). Upper-case terms of 2-5 letters (`SEC`, `MiCA`) match only
     * in that case, so "sec" in "2 sec" is not the regulator.
     */
    term: z.string().trim().min(2).max(80),
    /** Points per match; negative terms pull a story off the beat (price talk, promotions). */
    weight: z.number().min(-20).max(20),
    /** The group the term belongs to, for `requireGroups`. */
    group: z.string().trim().min(1).max(40),
  })
  .strict();

export type RelevanceTerm = z.infer<typeof relevanceTermSchema>;

/** The crypto-regulation beat's default dictionary: what makes a story ours, and what does not. */
export const DEFAULT_RELEVANCE_TERMS: readonly RelevanceTerm[] = [
  ...[
    'crypto*',
    'bitcoin',
    'ethereum',
    'stablecoin*',
    'CBDC',
    'central bank digital currenc*',
    'digital asset*',
    'virtual asset*',
    'token*',
    'DeFi',
    'blockchain',
    'exchange*',
    'Binance',
    'Coinbase',
    'Tether',
    'USDT',
    'USDC',
    'digital yuan',
    'e-CNY',
    'digital euro',
    'web3',
    'NFT*',
    'wallet*',
    'VASP*',
    'CASP*',
  ].map((term) => ({ term, weight: 1, group: 'crypto' })),
  ...[
    'regulat*',
    'law',
    'laws',
    'legislat*',
    'bill',
    'ban',
    'bans',
    'banned',
    'prohibit*',
    'licen*',
    'enforcement',
    'sued',
    'sues',
    'lawsuit*',
    'charged',
    'fine',
    'fines',
    'fined',
    'penalt*',
    'settle*',
    'sanction*',
    'tax',
    'taxes',
    'taxation',
    'compliance',
    'AML',
    'KYC',
    'Travel Rule',
    'framework',
    'rules',
    'rule',
    'guidance',
    'crackdown',
    'court',
    'judge',
    'policy',
    'policymakers',
    'lawmakers',
    'parliament',
    'senate',
    'congress',
    'approv*',
    'registration',
    'supervis*',
    'energy',
    'moratorium',
  ].map((term) => ({ term, weight: 1, group: 'regulation' })),
  ...[
    'SEC',
    'CFTC',
    'FCA',
    'ESMA',
    'EBA',
    'FATF',
    'FinCEN',
    'OFAC',
    'IRS',
    'DOJ',
    'FINMA',
    'MAS',
    'HKMA',
    'SFC',
    'VARA',
    'ASIC',
    'BaFin',
    'AMF',
    'PBoC',
    "People's Bank of China",
    'central bank',
    'Treasury',
    'regulator*',
    'watchdog',
    'MiCA',
    'MiCAR',
    'GENIUS Act',
    'FIT21',
    'Basel Committee',
    'IOSCO',
    'FSB',
  ].map((term) => ({ term, weight: 2, group: 'regulation' })),
  ...['mining ban', 'mining rules', 'hashrate', 'power grid', 'electricity'].map((term) => ({
    term,
    weight: 1,
    group: 'regulation',
  })),
  ...[
    'price prediction',
    'price analysis',
    'airdrop',
    'giveaway',
    'sponsored',
    'press release',
    'memecoin',
    'to the moon',
    'technical analysis',
  ].map((term) => ({ term, weight: -3, group: 'off-beat' })),
];

/** Relevance scoring settings: the dictionary and how a score is formed. */
export const relevanceSchema = z
  .object({
    terms: z
      .array(relevanceTermSchema)
      .min(1)
      .default(() => DEFAULT_RELEVANCE_TERMS.map((t) => ({ ...t }))),
    /** A match in the title counts this many times a match in the body. */
    titleWeight: z.number().min(1).max(10).default(2),
    /** Each distinct term counts at most this many matches (a word repeated 40 times is not 40 points). */
    maxMatchesPerTerm: z.number().int().min(1).max(20).default(3),
    /** A story scores 0 unless it matched at least one term of each of these groups. */
    requireGroups: z.array(z.string()).default(['crypto', 'regulation']),
    /** Default threshold for sources that do not set their own. */
    threshold: z.number().min(0).max(1000).default(4),
  })
  .strict()
  .prefault({});

/** Deduplication across sources and the editors' own queue. */
export const dedupSchema = z
  .object({
    /** How far back a story counts as "the same event" by title, in hours. */
    windowHours: z
      .number()
      .min(1)
      .max(24 * 30)
      .default(72),
    /** Normalized-title similarity (0-1) from which two titles report the same event. */
    titleSimilarity: z.number().min(0.3).max(1).default(0.7),
  })
  .strict()
  .prefault({});

const sourceIdSchema = z
  .string()
  .regex(/^[a-z][a-z0-9-]{0,39}$/, 'source ids are lower-case letters, digits and -, at most 40');

/** One feed regwire takes stories from. */
export const sourceSchema = z
  .object({
    /** RSS 2.0 / RSS 1.0 (RDF) / Atom / JSON Feed URL. */
    url: z.url({ protocol: /^https?$/ }),
    /** Outlet name shown on stories; defaults to the source id. */
    name: z.string().trim().min(1).max(100).optional(),
    enabled: z.boolean().default(true),
    /** `auto`: straight to the next free slot. `review`: a draft announced to the editors. */
    mode: z.enum(['auto', 'review']).default('review'),
    /** Poll interval in ms; at least 250 (tests), use 60 000 or more for real outlets. Default 5 min. */
    pollEveryMs: z
      .number()
      .int()
      .min(250)
      .max(24 * 3_600_000)
      .default(300_000),
    /** Relevance threshold; defaults to `relevance.threshold`. */
    threshold: z.number().min(0).max(1000).optional(),
    /** Items older than this are ignored (the backlog of a new source), in hours. */
    maxAgeHours: z
      .number()
      .min(1)
      .max(24 * 60)
      .default(48),
    /** At most this many newest items are looked at per poll. */
    maxItemsPerPoll: z.number().int().min(1).max(1000).default(50),
    /** Fetch the article page when a feed item's text is shorter than this many characters (0: never). */
    fetchArticleBelowChars: z.number().int().min(0).max(100_000).default(400),
    filters: z
      .object({
        /** Keep only items whose title or text contains one of these words/phrases (case-insensitive). */
        include: z.array(z.string().trim().min(1)).default([]),
        /** Drop items whose title or text contains one of these. */
        exclude: z.array(z.string().trim().min(1)).default([]),
        /** Keep only items in one of these feed categories (case-insensitive); empty: all. */
        categories: z.array(z.string().trim().min(1)).default([]),
      })
      .strict()
      .prefault({}),
  })
  .strict();

/** Fetch limits shared by every source. */
export const fetchLimitsSchema = z
  .object({
    /** Whole-request budget for a feed or page, in ms. */
    timeoutMs: z.number().int().min(100).max(120_000).default(15_000),
    /** Largest feed accepted, in bytes. */
    maxFeedBytes: z.number().int().min(1_000).max(50_000_000).default(5_000_000),
    /** Largest article page accepted, in bytes. */
    maxPageBytes: z.number().int().min(1_000).max(20_000_000).default(2_000_000),
    /** Redirect hops followed before giving up. */
    maxRedirects: z.number().int().min(0).max(10).default(5),
    /** Article pages fetched per poll of one source, at most. */
    maxArticleFetchesPerPoll: z.number().int().min(0).max(200).default(10),
    /** Consecutive failures after which editors are told (once) that a source is failing. */
    alertAfterFailures: z.number().int().min(1).max(100).default(3),
    /** Longest backoff of a failing source, in ms. */
    maxBackoffMs: z
      .number()
      .int()
      .min(1_000)
      .default(6 * 3_600_000),
    userAgent: z.string().min(1).default('regwire-intake/0.1 (+https://github.com/regwire)'),
  })
  .strict()
  .prefault({});

/** `config/sources.json`: the feeds regwire polls, the relevance dictionary and dedup settings. */
export const sourcesFileSchema = z
  .object({
    $comment: z.string().optional(),
    sources: z.record(sourceIdSchema, sourceSchema).default({}),
    relevance: relevanceSchema,
    dedup: dedupSchema,
    fetch: fetchLimitsSchema,
  })
  .strict()
  .transform(({ $comment: _comment, ...rest }) => rest);

export type SourcesFile = z.infer<typeof sourcesFileSchema>;
export type RelevanceSettings = z.infer<typeof relevanceSchema>;
export type DedupSettings = z.infer<typeof dedupSchema>;
export type FetchLimits = z.infer<typeof fetchLimitsSchema>;

/** A configured source with its id and resolved name and threshold. */
export interface SourceConfig extends Omit<z.infer<typeof sourceSchema>, 'name' | 'threshold'> {
  readonly id: string;
  readonly name: string;
  readonly threshold: number;
}

/** The intake configuration as the app uses it: enabled sources only, defaults resolved. */
export interface SourcesConfig {
  readonly sources: readonly SourceConfig[];
  readonly relevance: RelevanceSettings;
  readonly dedup: DedupSettings;
  readonly fetch: FetchLimits;
}

/** Resolves a parsed `sources.json` into {@link SourcesConfig} (disabled sources dropped). */
export function resolveSources(file: SourcesFile): SourcesConfig {
  const sources = Object.entries(file.sources)
    .filter(([, s]) => s.enabled)
    .map(([id, s]) => ({
      ...s,
      id,
      name: s.name ?? id,
      threshold: s.threshold ?? file.relevance.threshold,
    }));
  return { sources, relevance: file.relevance, dedup: file.dedup, fetch: file.fetch };
}

/** `sources.json` parsed from `{}`: no sources, default dictionary and limits. */
export function defaultSourcesConfig(): SourcesConfig {
  return resolveSources(sourcesFileSchema.parse({}));
}

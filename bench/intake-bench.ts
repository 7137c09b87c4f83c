import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { hugeWordpressRss } from '../harness/feed-fixtures.js';
import { parseFeedDocument } from '../src/intake/feed-items.js';
import { createRelevanceScorer } from '../src/intake/relevance.js';
import { relevanceSchema } from '../src/intake/sources-schema.js';
import { commonVocabulary, TitleIndex, titleTokens } from '../src/intake/title-similarity.js';

/** Feed intake throughput over one 10,000-item WordPress-shaped RSS feed, on one core. */
export interface IntakeBenchResult {
  /** Items in the feed. */
  readonly items: number;
  /** Size of the feed document, in bytes. */
  readonly feedBytes: number;
  /** Parse (feedsmith) + normalize + HTML-to-text of every item, items per second. */
  readonly parseItemsPerSecond: number;
  /** Mean time to parse the whole feed, ms. */
  readonly parseMsPerFeed: number;
  /** Relevance scoring (default dictionary, title + text), items per second. */
  readonly relevanceItemsPerSecond: number;
  /** Dedup: title normalization + similarity lookup + insert into the index, items per second. */
  readonly dedupItemsPerSecond: number;
  /** How many of the 10,000 titles the dedup index took for the same event as an earlier one. */
  readonly dedupMatches: number;
}

/**
 * Times feed parsing, relevance scoring and title dedup over a generated 10,000-item feed (after one
 * warm-up pass each). `rounds` feed parses are timed; dedup and relevance run over every item once per round.
 */
export async function benchIntake(rounds = 3): Promise<IntakeBenchResult> {
  const count = 10_000;
  const xml = hugeWordpressRss(count);
  const options = {
    feedUrl: 'https://bulk.example.com/feed/',
    nowMs: Date.parse('2026-11-02T00:00:00Z'),
    maxItems: count,
  };
  const relevance = relevanceSchema.parse({});
  const scorer = createRelevanceScorer(relevance);
  const vocabulary = commonVocabulary(relevance.terms);

  const warm = parseFeedDocument(xml, options);
  let parseMs = 0;
  for (let r = 0; r < rounds; r++) {
    const t0 = performance.now();
    parseFeedDocument(xml, options);
    parseMs += performance.now() - t0;
  }
  const items = warm.items;

  for (const item of items.slice(0, 500)) scorer.score({ title: item.title, body: item.text });
  let relevanceMs = 0;
  for (let r = 0; r < rounds; r++) {
    const t0 = performance.now();
    for (const item of items) scorer.score({ title: item.title, body: item.text });
    relevanceMs += performance.now() - t0;
  }

  let dedupMs = 0;
  let matches = 0;
  for (let r = 0; r < rounds + 1; r++) {
    const index = new TitleIndex();
    let found = 0;
    const t0 = performance.now();
    items.forEach((item, i) => {
      const tokens = titleTokens(item.title, vocabulary);
      if (index.findSimilar(tokens, 0.7, 0)) found++;
      index.add({ storyId: String(i), tokens, atMs: i });
    });
    // The first round is the warm-up.
    if (r > 0) dedupMs += performance.now() - t0;
    matches = found;
  }

  return {
    items: items.length,
    feedBytes: Buffer.byteLength(xml),
    parseItemsPerSecond: Math.round((count * rounds * 1000) / parseMs),
    parseMsPerFeed: Math.round(parseMs / rounds),
    relevanceItemsPerSecond: Math.round((count * rounds * 1000) / relevanceMs),
    dedupItemsPerSecond: Math.round((count * rounds * 1000) / dedupMs),
    dedupMatches: matches,
  };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  benchIntake().then(
    (result) => console.log(JSON.stringify(result, null, 2)),
    (err: unknown) => {
      console.error(err);
      process.exitCode = 1;
    },
  );
}

/** A title reduced to weighted word stems, for comparing wordings of one event. */
export type TitleTokens = ReadonlyMap<string, number>;

const STOPWORDS = new Set(
  'a an the of to in on for and or but by with as at from over after before its it is are was were be been being new says said say amid into against about up out than that this these those will could would may might has have had not no its their his her who what why how when where which while via per vs just more most also s'.split(
    ' ',
  ),
);

// Words every story on the beat uses: sharing them says little about being the same event.
const GENERIC_STEMS = new Set(
  'report plan propos announc launch move push call seek set warn urg back week year month today day first latest update'.split(
    ' ',
  ),
);

/** How much a shared beat-common stem counts against a distinctive one (names, places, numbers). */
export const COMMON_TOKEN_WEIGHT = 0.3;

/** A light English suffix stemmer: "sues", "sued" and "sue" meet; "penalties" meets "penalty". Pure. */
export function stem(word: string): string {
  let w = word;
  if (w.length > 4 && w.endsWith('ies')) w = `${w.slice(0, -3)}y`;
  else if (w.length > 3 && w.endsWith('s') && !w.endsWith('ss') && !w.endsWith('us')) w = w.slice(0, -1);
  if (w.length > 5 && w.endsWith('ing')) w = w.slice(0, -3);
  else if (w.length > 3 && w.endsWith('ed')) w = w.slice(0, -2);
  if (w.length > 2 && w.endsWith('e')) w = w.slice(0, -1);
  // banned -> bann -> ban
  if (w.length > 3 && w[w.length - 1] === w[w.length - 2] && /[bdgmnprt]/.test(w[w.length - 1] ?? '')) {
    w = w.slice(0, -1);
  }
  return w;
}

/** The words of a title: accents folded, lower-cased, punctuation dropped, stopwords removed. Pure. */
export function titleWords(title: string): string[] {
  return title
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/['’]s\b/g, '')
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w !== '' && !STOPWORDS.has(w));
}

/**
 * Which stems are beat-common: the stems of the dictionary's words (lower-case ones and acronyms, not
 * capitalized names such as "Binance") plus generic news verbs. Wildcard terms give a prefix.
 */
export interface CommonVocabulary {
  readonly stems: ReadonlySet<string>;
  readonly prefixes: readonly string[];
}

/** Builds the beat-common vocabulary from dictionary terms. Pure. */
export function commonVocabulary(terms: readonly { readonly term: string }[]): CommonVocabulary {
  const stems = new Set(GENERIC_STEMS);
  const prefixes: string[] = [];
  for (const { term } of terms) {
    const wildcard = term.endsWith('*');
    const words = term.replace(/\*$/, '').split(/\s+/);
    words.forEach((raw, i) => {
      const isName = /^\p{Lu}\p{Ll}/u.test(raw);
      if (isName) return;
      const word = titleWords(raw).join('');
      if (word === '') return;
      if (wildcard && i === words.length - 1) prefixes.push(word);
      else stems.add(stem(word));
    });
  }
  return { stems, prefixes };
}

/** The weighted stems of a title: distinctive words weigh 1, beat-common ones {@link COMMON_TOKEN_WEIGHT}. Pure. */
export function titleTokens(title: string, common: CommonVocabulary): TitleTokens {
  const tokens = new Map<string, number>();
  for (const word of titleWords(title)) {
    const s = stem(word);
    const isCommon = common.stems.has(s) || common.prefixes.some((p) => word.startsWith(p));
    tokens.set(s, isCommon ? COMMON_TOKEN_WEIGHT : 1);
  }
  return tokens;
}

/**
 * Weighted Dice similarity of two titles' tokens in [0, 1]: twice the weight they share over the total
 * weight. 1 for the same words in any order, 0 when nothing is shared. Symmetric. Pure.
 */
export function tokenSimilarity(a: TitleTokens, b: TitleTokens): number {
  let total = 0;
  let shared = 0;
  for (const [t, w] of a) {
    total += w;
    if (b.has(t)) shared += w;
  }
  for (const [t, w] of b) {
    total += w;
    if (a.has(t)) shared += w;
  }
  return total === 0 ? 0 : shared / total;
}

const MAX_POSTINGS = 2_000;

/** A remembered title. */
export interface IndexedTitle {
  readonly storyId: string;
  readonly tokens: TitleTokens;
  /** Epoch ms when the story was seen. */
  readonly atMs: number;
}

/**
 * An in-memory index of recent titles for "the same event in other words": candidates are found through
 * their distinctive stems (an inverted index), then scored with {@link tokenSimilarity}. Pure (no I/O).
 */
export class TitleIndex {
  readonly #entries: IndexedTitle[] = [];
  readonly #byToken = new Map<string, number[]>();

  add(entry: IndexedTitle): void {
    const index = this.#entries.push(entry) - 1;
    for (const [token, weight] of entry.tokens) {
      if (weight < 1) continue;
      let list = this.#byToken.get(token);
      if (!list) {
        list = [];
        this.#byToken.set(token, list);
      }
      list.push(index);
    }
  }

  get size(): number {
    return this.#entries.length;
  }

  /**
   * The most similar title seen at or after `sinceMs` with similarity ≥ `threshold`, or undefined. Titles
   * that share no distinctive stem are never the same event.
   */
  findSimilar(
    tokens: TitleTokens,
    threshold: number,
    sinceMs: number,
  ): { readonly entry: IndexedTitle; readonly similarity: number } | undefined {
    // Shared distinctive weight per candidate, from the posting lists. A stem in more than
    // MAX_POSTINGS titles is not distinctive any more: it does not propose candidates (but still counts
    // in the similarity of those proposed by rarer stems).
    let total = 0;
    let unindexed = 0;
    const shared = new Map<number, number>();
    for (const [token, weight] of tokens) {
      total += weight;
      const postings = weight < 1 ? undefined : this.#byToken.get(token);
      if (!postings || postings.length > MAX_POSTINGS) {
        unindexed += weight;
        continue;
      }
      for (const index of postings) shared.set(index, (shared.get(index) ?? 0) + weight);
    }
    let best: { entry: IndexedTitle; similarity: number } | undefined;
    for (const [index, weight] of shared) {
      // Dice ≥ threshold needs 2·shared ≥ threshold·(|a| + |b|) ≥ threshold·|a|: skip hopeless ones.
      if (2 * (weight + unindexed) < threshold * total) continue;
      const entry = this.#entries[index];
      if (!entry || entry.atMs < sinceMs) continue;
      const similarity = tokenSimilarity(tokens, entry.tokens);
      if (similarity >= threshold && (!best || similarity > best.similarity)) best = { entry, similarity };
    }
    return best;
  }
}

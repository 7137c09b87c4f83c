import type { RenderOptions } from './render-options.js';

type HashtagOptions = RenderOptions['hashtags'];

interface CompiledDictionary {
  /** Tags in dictionary order. */
  readonly tags: readonly string[];
  /** Whole-word matchers: one case-sensitive, one case-insensitive, one for CJK terms (no word edges). */
  readonly matchers: readonly { readonly regex: RegExp; readonly tagOf: ReadonlyMap<string, string> }[];
}

const compiledDictionaries = new WeakMap<object, CompiledDictionary>();
// A body term counts at most this often: a story that says "mining" twenty times is not twenty times as
// much about mining.
const MAX_BODY_HITS = 5;
const HASHTAG_BODY = /^[\p{L}\p{N}_]+$/u;

/**
 * The story's hashtags (without `#`), at most `max`: the story's own tags first when they are valid
 * hashtags, then dictionary tags whose terms the story mentions, best scored first, shown in dictionary
 * order. Score: `titleWeight` for a mention in the title, plus one per mention in the body (up to 5).
 */
export function detectHashtags(
  story: { readonly title: string; readonly body: string; readonly tags: readonly string[] },
  options: HashtagOptions,
): string[] {
  if (options.max === 0) return [];
  const chosen: string[] = [];
  const seen = new Set<string>();
  if (options.useStoryTags) {
    for (const tag of story.tags) {
      const clean = tag
        .replace(/^#/, '')
        .split(/[\s-]+/u)
        .map((word, i) => (i === 0 ? word : word.charAt(0).toUpperCase() + word.slice(1)))
        .join('');
      if (HASHTAG_BODY.test(clean) && !/^\d+$/.test(clean) && !seen.has(clean.toLowerCase())) {
        chosen.push(clean);
        seen.add(clean.toLowerCase());
      }
    }
  }
  const dict = compile(options.dictionary);
  const titleHits = countHits(story.title, dict);
  const bodyHits = countHits(story.body, dict);
  const scored = dict.tags
    .map((tag, order) => ({
      tag,
      order,
      score: (titleHits.has(tag) ? options.titleWeight : 0) + Math.min(bodyHits.get(tag) ?? 0, MAX_BODY_HITS),
    }))
    .filter((s) => s.score >= options.minScore && !seen.has(s.tag.toLowerCase()));
  scored.sort((a, b) => b.score - a.score || a.order - b.order);
  const picked = scored.slice(0, Math.max(0, options.max - chosen.length));
  picked.sort((a, b) => a.order - b.order);
  return [...chosen, ...picked.map((s) => s.tag)].slice(0, options.max);
}

function countHits(raw: string, dict: CompiledDictionary): Map<string, number> {
  const hits = new Map<string, number>();
  const text = raw.replace(/[\u2018\u2019]/g, "'");
  for (const { regex, tagOf } of dict.matchers) {
    for (const m of text.matchAll(regex)) {
      const term = (m[1] ?? m[0]).replace(/\s+/g, ' ');
      const tag = tagOf.get(term) ?? tagOf.get(term.toLowerCase());
      if (tag !== undefined) hits.set(tag, (hits.get(tag) ?? 0) + 1);
    }
  }
  return hits;
}

function compile(dictionary: Readonly<Record<string, readonly string[]>>): CompiledDictionary {
  const cached = compiledDictionaries.get(dictionary);
  if (cached) return cached;
  const sensitive = new Map<string, string>();
  const insensitive = new Map<string, string>();
  const cjk = new Map<string, string>();
  for (const [tag, terms] of Object.entries(dictionary)) {
    for (const term of terms) {
      if (/^[^\p{Script=Latin}\p{Script=Greek}\p{Script=Cyrillic}\p{N}]+$/u.test(term)) cjk.set(term, tag);
      else if (/^.+\p{Lu}/u.test(term)) sensitive.set(term, tag);
      else insensitive.set(term.toLowerCase(), tag);
    }
  }
  const alternation = (terms: Iterable<string>): string =>
    [...terms]
      .sort((a, b) => b.length - a.length)
      .map((t) => t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/ /g, '\\s+'))
      .join('|');
  const edged = (terms: Iterable<string>, flags: string): RegExp =>
    new RegExp(`(?<![\\p{L}\\p{N}_])(${alternation(terms)})(?![\\p{L}\\p{N}_])`, flags);
  const matchers: CompiledDictionary['matchers'][number][] = [];
  if (sensitive.size > 0) matchers.push({ regex: edged(sensitive.keys(), 'gu'), tagOf: sensitive });
  if (insensitive.size > 0) matchers.push({ regex: edged(insensitive.keys(), 'giu'), tagOf: insensitive });
  if (cjk.size > 0) matchers.push({ regex: new RegExp(`(${alternation(cjk.keys())})`, 'gu'), tagOf: cjk });
  const compiled: CompiledDictionary = { tags: Object.keys(dictionary), matchers };
  compiledDictionaries.set(dictionary, compiled);
  return compiled;
}

import type { RelevanceSettings, RelevanceTerm } from './sources-schema.js';

/** One dictionary term that matched, and what it added to the score. */
export interface RelevanceMatch {
  readonly term: string;
  readonly group: string;
  /** Points it added (negative for off-beat terms). */
  readonly points: number;
  readonly inTitle: boolean;
}

/** An item's relevance to the beat: the score and the words that decided it. */
export interface RelevanceResult {
  readonly score: number;
  /** Matched terms, largest absolute contribution first. */
  readonly matched: readonly RelevanceMatch[];
  /** Required groups with no match: the score is 0 when this is not empty. */
  readonly missingGroups: readonly string[];
}

interface CompiledTerm {
  readonly term: RelevanceTerm;
  readonly pattern: RegExp;
}

/** A dictionary compiled once, to score many items. */
export interface RelevanceScorer {
  score(text: { readonly title: string; readonly body: string }): RelevanceResult;
}

const ESCAPE = /[.*+?^${}()|[\]\\]/g;

/** Case-sensitive when it reads like an acronym or a styled name: `SEC`, `MiCA`, `DeFi`, `e-CNY`. */
function isAcronym(term: string): boolean {
  const bare = term.replace(/\*$/, '');
  return !/\s/.test(bare) && bare.length <= 6 && (bare.match(/\p{Lu}/gu)?.length ?? 0) >= 2;
}

function compile(term: RelevanceTerm): CompiledTerm {
  const wildcard = term.term.endsWith('*');
  const bare = wildcard ? term.term.slice(0, -1) : term.term;
  const body = bare.replace(ESCAPE, '\\$&').replace(/\s+/g, '\\s+').replace(/['’]/g, "['’]");
  const tail = wildcard ? '[\\p{L}\\p{N}]*' : '';
  const flags = isAcronym(term.term) ? 'gu' : 'giu';
  return { term, pattern: new RegExp(`(?<![\\p{L}\\p{N}])${body}${tail}(?![\\p{L}\\p{N}])`, flags) };
}

function count(pattern: RegExp, text: string, cap: number): number {
  if (text === '') return 0;
  pattern.lastIndex = 0;
  let n = 0;
  while (n < cap && pattern.exec(text) !== null) n++;
  return n;
}

/**
 * Compiles the relevance dictionary. A term's points: `weight × (titleWeight × title matches + body
 * matches)`, each count capped at `maxMatchesPerTerm`; the score is their sum, or 0 when a required group
 * (by default both "crypto" and "regulation") has no positive match. Pure.
 */
export function createRelevanceScorer(settings: RelevanceSettings): RelevanceScorer {
  const compiled = settings.terms.map(compile);
  const cap = settings.maxMatchesPerTerm;
  return {
    score({ title, body }) {
      const matched: RelevanceMatch[] = [];
      const groups = new Set<string>();
      let total = 0;
      for (const { term, pattern } of compiled) {
        const inTitle = count(pattern, title, cap);
        const inBody = count(pattern, body, cap);
        if (inTitle + inBody === 0) continue;
        const points = term.weight * (settings.titleWeight * inTitle + inBody);
        total += points;
        if (term.weight > 0) groups.add(term.group);
        matched.push({ term: term.term, group: term.group, points, inTitle: inTitle > 0 });
      }
      matched.sort((a, b) => Math.abs(b.points) - Math.abs(a.points) || a.term.localeCompare(b.term));
      const missingGroups = settings.requireGroups.filter((g) => !groups.has(g));
      const score = missingGroups.length > 0 ? 0 : Math.max(0, Math.round(total * 10) / 10);
      return { score, matched, missingGroups };
    },
  };
}

/**
 * One line for editors: the score against the threshold and the words that decided it, e.g.
 * `relevance 11 (threshold 4): SEC +4 (title), Binance +2 (title), fined +1`.
 */
export function describeRelevance(result: RelevanceResult, threshold: number, maxTerms = 8): string {
  const words = result.matched
    .slice(0, maxTerms)
    .map((m) => `${m.term} ${m.points >= 0 ? '+' : ''}${m.points}${m.inTitle ? ' (title)' : ''}`);
  const more = result.matched.length > maxTerms ? `, +${result.matched.length - maxTerms} more` : '';
  const missing =
    result.missingGroups.length > 0 ? `; no ${result.missingGroups.join(' or ')} term, so 0` : '';
  return `relevance ${result.score} (threshold ${threshold})${words.length > 0 ? `: ${words.join(', ')}${more}` : ': no dictionary term'}${missing}`;
}

/** Include / exclude / category filters of a source. */
export interface ItemFilters {
  readonly include: readonly string[];
  readonly exclude: readonly string[];
  readonly categories: readonly string[];
}

/** Why a source's filters reject an item, or undefined when they let it through. Pure. */
export function filterRejection(
  item: { readonly title: string; readonly text: string; readonly categories: readonly string[] },
  filters: ItemFilters,
): string | undefined {
  const haystack = `${item.title}\n${item.text}`.toLowerCase();
  const excluded = filters.exclude.find((w) => haystack.includes(w.toLowerCase()));
  if (excluded) return `filtered out: contains "${excluded}"`;
  if (filters.include.length > 0 && !filters.include.some((w) => haystack.includes(w.toLowerCase()))) {
    return `filtered out: none of ${filters.include.map((w) => `"${w}"`).join(', ')}`;
  }
  if (filters.categories.length > 0) {
    const wanted = new Set(filters.categories.map((c) => c.toLowerCase()));
    if (!item.categories.some((c) => wanted.has(c.toLowerCase()))) {
      return `filtered out: not in categories ${filters.categories.join(', ')}`;
    }
  }
  return undefined;
}

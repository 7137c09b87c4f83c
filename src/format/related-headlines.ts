/**
 * "Related articles" debris: lines copied from around an article that are only other stories' headlines,
 * often as `Headline - Outlet`, sometimes under a `Related:` or `Read also` header. They go; a story's
 * own subheadings and lists stay.
 */

// A header that introduces other stories.
const RELATED_HEADER =
  /^(?:related(?: articles?| stories| news| coverage| reading| posts| content)?|read (?:also|more|next)|also read|more (?:news|stories|on this(?: story| topic)?)|more from [\p{L}\d .&'-]{1,40}|you (?:may|might) also (?:like|be interested in)|recommended(?: for you| reading| stories)?|trending(?: now| stories)?|latest (?:news|stories)|further reading|see also|editor'?s picks|popular(?: now| stories)?)\s*:?$/iu;
// `Headline - Outlet`: an outlet is one to four capitalised words (CoinDesk, The Block, Bitcoin.com News).
const OUTLET_SUFFIX = /^(.+?)\s+[-–—|]\s+((?:The\s+)?\p{Lu}[\p{L}\d.&'’]*(?:\s+\p{Lu}[\p{L}\d.&'’]*){0,3})$/u;
const BULLET = /^(?:[-•*▪►]|\d{1,2}[.)])\s+/u;
// A headline does not end like a sentence or a lead-in (it may end with a question mark).
const SENTENCE_END = /[.!…:;,]["”’»)]?$/u;
const MIN_WORDS = 4;
const MAX_WORDS = 25;
const MAX_CHARS = 200;

/**
 * The body without related-story headlines: a related-stories header and the headline lines under it,
 * any line that is a headline followed by an outlet name, and runs of two or more title-case headline
 * lines. Returns the body (blank-line runs not yet collapsed) and the removed lines. Pure.
 */
export function dropRelatedHeadlines(body: string): { body: string; removed: string[] } {
  const lines = body.split('\n');
  const drop = new Set<number>();
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (RELATED_HEADER.test(line)) {
      drop.add(i);
      for (
        let j = nextLine(lines, i);
        j < lines.length && isHeadline(lines[j]!.trim().replace(BULLET, ''));
      ) {
        drop.add(j);
        j = nextLine(lines, j);
      }
      continue;
    }
    if (
      isHeadline(line) &&
      OUTLET_SUFFIX.test(line) &&
      wordCount(OUTLET_SUFFIX.exec(line)![1]!) >= MIN_WORDS
    ) {
      drop.add(i);
    }
  }
  // Runs of title-case headlines, each on its own line.
  for (let i = 0; i < lines.length; ) {
    const run: number[] = [];
    let j = i;
    while (j < lines.length && (isTitleCaseHeadline(lines[j]!.trim()) || drop.has(j))) {
      run.push(j);
      j = nextLine(lines, j);
    }
    if (run.length >= 2) for (const k of run) drop.add(k);
    i = Math.max(j, i + 1);
  }
  if (drop.size === 0) return { body, removed: [] };
  const removed = [...drop].sort((a, b) => a - b).map((i) => lines[i]!.trim());
  return { body: lines.filter((_, i) => !drop.has(i)).join('\n'), removed };
}

/** The index of the next non-empty line after `i` (or the end). */
function nextLine(lines: readonly string[], i: number): number {
  let j = i + 1;
  while (j < lines.length && lines[j]!.trim() === '') j++;
  return j;
}

function isHeadline(line: string): boolean {
  if (line === '' || line.length > MAX_CHARS || BULLET.test(line) || SENTENCE_END.test(line)) return false;
  if (/https?:\/\//.test(line)) return false;
  const n = wordCount(line);
  return n >= MIN_WORDS && n <= MAX_WORDS;
}

/** A headline in Title Case: most of its longer words capitalised. */
function isTitleCaseHeadline(line: string): boolean {
  if (!isHeadline(line)) return false;
  const long = line.split(/\s+/).filter((w) => /^\p{L}{4,}/u.test(w));
  if (long.length < 2) return false;
  const capitalised = long.filter((w) => /^\p{Lu}/u.test(w)).length;
  return capitalised / long.length >= 0.75;
}

function wordCount(text: string): number {
  return text.split(/\s+/).filter((w) => /[\p{L}\p{N}]/u.test(w)).length;
}

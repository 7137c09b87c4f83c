/**
 * Outlet boilerplate: share prompts, "Powered by …", "Follow us on …", "Join our … channel", "Read more at
 * …", subscribe lines. The patterns are configuration (regular-expression sources, matched
 * case-insensitively against a whole trimmed line); these are the defaults.
 */
export const DEFAULT_BOILERPLATE_PATTERNS: readonly string[] = [
  '^powered by\\b.*$',
  '^follow us\\b.*$',
  '^join (us|our)\\b.*\\b(channel|group|community|server|newsletter|discord|telegram|whatsapp)\\b.*$',
  '^(read|see|find) (more|the (full|original) (story|article|post|report))( (at|on|here|via)\\b.*|:.*)?$',
  '^(subscribe|sign up)\\b.*\\b(newsletter|channel|updates|inbox|alerts)\\b.*$',
  '^subscribe( now| today| here)?[.!:]?$',
  '^share( (this|on|via)\\b.{0,40}|:)?$',
  '^(like|share|tweet) (and|&) (share|like|follow|subscribe)\\b.*$',
  '^(click|tap) (here )?to (share|subscribe|follow|join)\\b.*$',
  '^(the post|this (post|article|story)) .+ (appeared first|was (first|originally) published) on .+$',
  '^(image|photo) (credit|source): .{0,80}$',
];

/** Compiled boilerplate patterns. */
export interface BoilerplateMatcher {
  readonly patterns: readonly RegExp[];
  /** Lines longer than this (UTF-16 units) are never boilerplate: they are prose that happens to match. */
  readonly maxLineLength: number;
}

const compiled = new WeakMap<readonly string[], readonly RegExp[]>();

/** Compiles (once per pattern list) the configured patterns, case-insensitive and Unicode-aware. */
export function boilerplateMatcher(patterns: readonly string[], maxLineLength: number): BoilerplateMatcher {
  let regexes = compiled.get(patterns);
  if (!regexes) {
    regexes = patterns.map((p) => new RegExp(p, 'iu'));
    compiled.set(patterns, regexes);
  }
  return { patterns: regexes, maxLineLength };
}

// A line that only carries a handle or a link: what follows a "Follow us on Twitter:" prompt.
const BARE_TARGET = /^(@[\w.]+|https?:\/\/\S+|(www\.|t\.me\/)\S+)$/iu;

/**
 * Removes boilerplate lines from a body. A prompt ending in a colon takes the bare link or handle on the
 * following line with it. Returns the body (blank-line runs not yet collapsed) and the removed lines.
 */
export function stripBoilerplate(
  body: string,
  matcher: BoilerplateMatcher,
): { body: string; removed: string[] } {
  const lines = body.split('\n');
  const kept: string[] = [];
  const removed: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (!isBoilerplate(line, matcher)) {
      kept.push(lines[i]!);
      continue;
    }
    removed.push(line);
    if (line.endsWith(':')) {
      let j = i + 1;
      while (j < lines.length && lines[j]!.trim() === '') j++;
      const target = lines[j]?.trim();
      if (target !== undefined && BARE_TARGET.test(target)) {
        removed.push(target);
        i = j;
      }
    }
  }
  return { body: removed.length > 0 ? kept.join('\n') : body, removed };
}

function isBoilerplate(line: string, matcher: BoilerplateMatcher): boolean {
  if (line === '' || line.length > matcher.maxLineLength) return false;
  return matcher.patterns.some((p) => p.test(line));
}

import type { StoryDraft } from '../domain/story.js';
import { boilerplateMatcher, stripBoilerplate } from './boilerplate.js';
import { rewriteEmbeddedPosts } from './embedded-posts.js';
import { liftLabelledTitle } from './label-title.js';
import { type MojibakeRepair, repairMojibake } from './mojibake.js';
import { dropRelatedHeadlines } from './related-headlines.js';
import type { RenderOptions } from './render-options.js';
import { dropRepeatedTitle } from './title-repeat.js';
import { normalizeWhitespace, type WhitespaceReport } from './whitespace.js';

const MAX_ROUNDS = 4;
/** At most this many lines describe mojibake repairs; the last one counts the rest. */
const MAX_REPAIR_LINES = 10;

function addOnce(changes: string[], lines: readonly string[]): void {
  for (const line of lines) if (!changes.includes(line)) changes.push(line);
}

/**
 * Cleans a story on intake and lists what it changed, one human-readable line each, so an editor can see
 * it. In order: Unicode NFC, mojibake repair, whitespace, a label standing in for the title, embedded
 * social posts, other stories' headlines, outlet boilerplate lines, a repeated title.
 * Idempotent: cleaning a clean story changes nothing and reports nothing. Pure.
 */
export function cleanStory(
  draft: StoryDraft,
  options: RenderOptions,
): { draft: StoryDraft; changes: string[] } {
  const { hygiene } = options;
  const changes: string[] = [];

  const nfcTitle = draft.title.normalize('NFC');
  const nfcBody = draft.body.normalize('NFC');
  if (nfcTitle !== draft.title || nfcBody !== draft.body) changes.push('Normalized Unicode to NFC');

  let title = nfcTitle;
  let body = nfcBody;
  // Each pass can uncover work for the other: a soft hyphen inside mojibake hides it from the repair
  // until the whitespace pass drops it, and a repair can produce an invisible character. Repeat until
  // nothing changes (a clean story must come out the same when cleaned again).
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const before = { title, body };
    if (hygiene.repairMojibake) {
      const t = repairMojibake(title);
      const b = repairMojibake(body);
      title = t.text.normalize('NFC');
      body = b.text.normalize('NFC');
      addOnce(changes, describeRepairs([...t.repairs, ...b.repairs]));
    }
    const ws = [normalizeWhitespace(title, 'single-line'), normalizeWhitespace(body, 'multiline')] as const;
    title = ws[0].text;
    body = ws[1].text;
    addOnce(changes, describeWhitespace(ws[0].report, ws[1].report));
    if (title === before.title && body === before.body) break;
  }

  if (hygiene.liftLabelledTitle) {
    const lifted = liftLabelledTitle(title, body);
    if (lifted) {
      title = lifted.title;
      body = lifted.body;
      const labels = lifted.labels.map((l) => `“${l}”`).join(', ');
      changes.push(`Took the headline from the line after the label ${labels}`);
    }
  }

  if (hygiene.rewriteEmbeddedPosts) {
    const embeds = rewriteEmbeddedPosts(title, body);
    if (embeds.body !== body) {
      body = embeds.body;
      for (const c of embeds.changes) {
        changes.push(
          c.action === 'quoted'
            ? `Turned the embedded post by ${c.author} into a quote`
            : `Removed the embedded post by ${c.author}: it repeated the story`,
        );
      }
      if (embeds.changes.length === 0) changes.push('Removed image links left by an embedded post');
    }
  }

  if (hygiene.dropRelatedHeadlines) {
    const related = dropRelatedHeadlines(body);
    if (related.removed.length > 0) {
      body = normalizeWhitespace(related.body, 'multiline').text;
      for (const line of related.removed) changes.push(`Removed a related-stories line “${line}”`);
    }
  }

  const matcher = boilerplateMatcher(hygiene.boilerplatePatterns, hygiene.boilerplateMaxLineLength);
  const stripped = stripBoilerplate(body, matcher);
  if (stripped.removed.length > 0) {
    body = normalizeWhitespace(stripped.body, 'multiline').text;
    for (const line of stripped.removed) changes.push(`Removed outlet boilerplate line “${line}”`);
  }

  if (hygiene.dropRepeatedTitle) {
    const repeat = dropRepeatedTitle(title, body);
    if (repeat.dropped > 0) {
      body = repeat.body;
      changes.push(
        repeat.dropped === 1
          ? 'Removed the title repeated at the start of the body'
          : `Removed the title repeated ${repeat.dropped} times at the start of the body`,
      );
    }
  }

  const cleaned: StoryDraft = {
    ...draft,
    title,
    body,
    ...(draft.url !== undefined && { url: draft.url.trim() }),
    ...(draft.source !== undefined && {
      source: normalizeWhitespace(draft.source.normalize('NFC'), 'single-line').text,
    }),
    ...(draft.imageUrl !== undefined && { imageUrl: draft.imageUrl.trim() }),
    tags: draft.tags.map((t) => t.normalize('NFC').trim()).filter((t) => t !== ''),
  };
  return { draft: cleaned, changes };
}

function describeRepairs(repairs: readonly MojibakeRepair[]): string[] {
  const counts = new Map<string, { repair: MojibakeRepair; count: number }>();
  for (const r of repairs) {
    const key = `${r.from}\u0000${r.to}`;
    const seen = counts.get(key);
    if (seen) seen.count++;
    else counts.set(key, { repair: r, count: 1 });
  }
  const lines = [...counts.values()].map(({ repair, count }) => {
    const times = count > 1 ? ` (${count}×)` : '';
    return `Repaired garbled characters “${visible(repair.from)}” → “${visible(repair.to)}”${times}`;
  });
  // A wholly garbled story repairs every word: the editor needs examples, not the whole list.
  if (lines.length <= MAX_REPAIR_LINES) return lines;
  const rest =
    repairs.length - [...counts.values()].slice(0, MAX_REPAIR_LINES - 1).reduce((n, c) => n + c.count, 0);
  return [...lines.slice(0, MAX_REPAIR_LINES - 1), `Repaired ${rest} more garbled sequences`];
}

/** Makes invisible characters in a change line readable. */
function visible(s: string): string {
  return s.replace(
    /[\u0000-\u0020\u007F-\u00A0\u00AD]/g,
    (c) => `U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`,
  );
}

function describeWhitespace(title: WhitespaceReport, body: WhitespaceReport): string[] {
  const out: string[] = [];
  const nbsp = title.noBreakSpaces + body.noBreakSpaces;
  const invisibles = title.invisibles + body.invisibles;
  if (nbsp > 0) out.push(`Replaced ${plural(nbsp, 'no-break space')} with ordinary spaces`);
  if (invisibles > 0) out.push(`Removed ${plural(invisibles, 'invisible character')}`);
  if (title.layout || body.layout) out.push('Normalized whitespace (line breaks, blank lines, extra spaces)');
  return out;
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

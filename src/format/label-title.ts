/**
 * Pasted stories often open with a label on a line of its own (`BREAKING:`, `UPDATE:`, `Highlights:`),
 * which plain-text intake takes for the headline. This finds such a title and takes the next real line
 * as the headline instead: a news-flash label stays as the headline's prefix (`BREAKING: SEC sues …`),
 * a section label (`Highlights:`, `Key points`) is dropped.
 */

// A news-flash label: says how new the story is, so it stays in front of the headline.
const FLASH =
  /^(breaking(?: news)?|just in|update[d]?|developing(?: story)?|exclusive|alert|flash|news ?flash|new|live)$/iu;
// A section label: names the part of the page that follows, not the story.
const SECTION =
  /^(highlights?|key (?:points|takeaways|facts|highlights)|takeaways|summary|tl;? ?dr|in brief|at a glance|quick take|overview|the gist|what (?:you need to|to) know)$/iu;
// Decoration around a label: emoji, a trailing colon or dash, brackets.
const DECORATION = /^(?:\p{Extended_Pictographic}|\uFE0F|\u200D|[\s[(])*|[\s:：\-–—|)\]]*$/gu;
const BULLET = /^(?:[-•*▪►–—]|\d{1,2}[.)])\s+/u;
// Labels stacked one above another (`UPDATE:` then `BREAKING:`) are taken off one by one, this many at most.
const MAX_LABELS = 3;

/** A title lifted from below its label, or `undefined` when the title is not a label alone. */
export interface LiftedTitle {
  readonly title: string;
  readonly body: string;
  /** The labels as they were written, outermost first. */
  readonly labels: readonly string[];
}

/** The label a line consists of, and whether it is a news-flash label; `undefined` for any other line. */
export function labelOf(line: string): { label: string; flash: boolean } | undefined {
  const bare = line.replace(DECORATION, '').trim();
  if (bare === '' || bare.length > 40) return undefined;
  if (FLASH.test(bare)) return { label: bare, flash: true };
  if (SECTION.test(bare)) return { label: bare, flash: false };
  return undefined;
}

/**
 * When `title` is only a label and the body has a line after it, the headline becomes the body's first
 * line (without a list bullet), prefixed by the news-flash labels, and the body loses that line. Pure.
 */
export function liftLabelledTitle(title: string, body: string): LiftedTitle | undefined {
  const labels: string[] = [];
  const prefixes: string[] = [];
  let headline = title;
  const lines = body.split('\n');
  let next = 0;
  for (let round = 0; round < MAX_LABELS; round++) {
    const label = labelOf(headline);
    if (!label) break;
    while (next < lines.length && lines[next]!.trim() === '') next++;
    const line = lines[next];
    if (line === undefined) return undefined;
    labels.push(headline.trim());
    if (label.flash) prefixes.push(label.label.toUpperCase());
    headline = line.trim().replace(BULLET, '');
    next++;
  }
  if (labels.length === 0 || labelOf(headline)) return undefined;
  const prefix = prefixes.length > 0 ? `${prefixes.join(' · ')}: ` : '';
  return {
    title: prefix + headline,
    body: lines
      .slice(next)
      .join('\n')
      .replace(/^\s*\n/, ''),
    labels,
  };
}

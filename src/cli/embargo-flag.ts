import { z } from 'zod';
import type { Story } from '../domain/story.js';
import { InputError } from '../errors/input-error.js';

// The same rule as a story file's `embargo` field: an instant, so its offset is never guessed.
const isoWithOffset = z.iso.datetime({ offset: true });

/**
 * Reads `--embargo <ISO time with offset>` as epoch ms. Refused with one line: anything that is not an ISO
 * time with its offset, and a time already past (a typo there would publish at once, unheld).
 */
export function readEmbargoFlag(value: string, nowMs: number): number {
  const untilMs = Date.parse(value);
  if (!isoWithOffset.safeParse(value).success || Number.isNaN(untilMs)) {
    throw new InputError(
      `--embargo "${value}" is not an ISO time with its offset; e.g. --embargo 2026-12-08T09:00:00+01:00`,
    );
  }
  if (untilMs <= nowMs) throw new InputError(`--embargo ${value} is in the past; nothing would be held`);
  return untilMs;
}

/**
 * The story with the embargo that holds: the story file's and the flag's, the later one when both are
 * given (nothing goes out before either). `note` says which one won when they differ.
 */
export function withEmbargo(story: Story, flagMs: number | undefined): { story: Story; note?: string } {
  if (flagMs === undefined) return { story };
  const fileMs = story.embargoUntil === undefined ? undefined : Date.parse(story.embargoUntil);
  if (fileMs !== undefined && fileMs >= flagMs) {
    const note =
      fileMs === flagMs
        ? undefined
        : `embargo: the story file's ${story.embargoUntil} is later than --embargo`;
    return { story, ...(note ? { note } : {}) };
  }
  const until = new Date(flagMs).toISOString();
  const note =
    fileMs === undefined ? undefined : `embargo: --embargo ${until} is later than the story file's`;
  return { story: { ...story, embargoUntil: until }, ...(note ? { note } : {}) };
}

import type { WhenRequest } from '../ports/desk.js';
import { parseWhen } from '../schedule/when-parser.js';

/** A `/command` at the start of a message, read. */
export interface CommandLine {
  /** Lower-case command name without the slash, e.g. `queue`. */
  readonly name: string;
  /** The bot the command names (`/list@regwire_bot`), lower-cased; undefined when it names none. */
  readonly addressee?: string;
  /** Everything after the command, trimmed, newlines kept. */
  readonly payload: string;
}

const COMMAND = /^\/([A-Za-z0-9_]{1,32})(?:@([A-Za-z0-9_]{3,32}))?(?=\s|$)/;

/** Reads the command a message starts with; undefined when it does not start with one. */
export function readCommand(text: string): CommandLine | undefined {
  const match = COMMAND.exec(text);
  if (!match) return undefined;
  return {
    name: match[1]!.toLowerCase(),
    ...(match[2] ? { addressee: match[2].toLowerCase() } : {}),
    payload: text.slice(match[0].length).trim(),
  };
}

/** True when the command is for this bot: it names no bot, or names this one. */
export function isAddressedTo(command: CommandLine, botUsername: string): boolean {
  return command.addressee === undefined || command.addressee === botUsername.toLowerCase();
}

/** Destination aliases an editor may type after `/schedule <id>`: platform short names. */
export const PLATFORM_ALIASES: Readonly<Record<string, 'telegram' | 'x'>> = {
  tg: 'telegram',
  telegram: 'telegram',
  x: 'x',
  twitter: 'x',
};

/** `/schedule` arguments, read. */
export type ScheduleArgs =
  | {
      readonly ok: true;
      readonly storyRef: string;
      readonly when: WhenRequest;
      /** What the editor will see the time as, e.g. "Tue 1 Dec 2026, 08:00 (Europe/Berlin)". */
      readonly display: string;
      readonly note?: string;
      /** Destination words typed (`tg`, `x` or destination ids); empty for all destinations. */
      readonly targets: readonly string[];
    }
  | { readonly ok: false; readonly error: string };

/** Examples shown whenever a `/schedule` cannot be read. */
export const SCHEDULE_EXAMPLES =
  'e.g. /schedule k3m9x2qa 14:30, /schedule k3m9x2qa tomorrow 09:00, /schedule k3m9x2qa in 2h, ' +
  '/schedule k3m9x2qa 2026-12-01 08:00, /schedule k3m9x2qa tg next, /schedule k3m9x2qa x now';

const MODE_WORDS: Readonly<Record<string, WhenRequest>> = {
  next: { mode: 'next-slot' },
  'next-slot': { mode: 'next-slot' },
  'next slot': { mode: 'next-slot' },
  slot: { mode: 'next-slot' },
  now: { mode: 'now' },
  breaking: { mode: 'breaking' },
};

/**
 * Reads `/schedule <id> [tg|x|destination…] <when>` (destination words may also come last). `when` is a
 * phrase for {@link parseWhen} read in `timeZone`, or `next`, `now`, `breaking`.
 */
export function parseScheduleArgs(
  payload: string,
  timeZone: string,
  nowMs: number,
  destinationIds: readonly string[],
): ScheduleArgs {
  const words = payload.trim().split(/\s+/).filter(Boolean);
  const storyRef = words.shift();
  if (storyRef === undefined) return { ok: false, error: `Give a story id and a time, ${SCHEDULE_EXAMPLES}` };
  const isTarget = (word: string) =>
    PLATFORM_ALIASES[word.toLowerCase()] !== undefined || destinationIds.includes(word.toLowerCase());
  const targets: string[] = [];
  while (words.length > 0 && isTarget(words[0]!)) targets.push(words.shift()!.toLowerCase());
  while (words.length > 1 && isTarget(words[words.length - 1]!)) targets.push(words.pop()!.toLowerCase());
  const phrase = words.join(' ');
  if (phrase === '') return { ok: false, error: `When? ${SCHEDULE_EXAMPLES}` };
  const mode = MODE_WORDS[phrase.toLowerCase()];
  if (mode && mode.mode !== 'now') {
    const display = mode.mode === 'breaking' ? 'now, as breaking news' : 'the next free slot';
    return { ok: true, storyRef, when: mode, display, targets };
  }
  const parsed = parseWhen(phrase, timeZone, nowMs);
  if (!parsed.ok) return { ok: false, error: `${capitalize(parsed.error)}. ${SCHEDULE_EXAMPLES}` };
  const when: WhenRequest =
    phrase.toLowerCase() === 'now' ? { mode: 'now' } : { mode: 'at', atMs: parsed.atMs };
  return {
    ok: true,
    storyRef,
    when,
    display: when.mode === 'now' ? 'now' : parsed.display,
    ...(parsed.note ? { note: parsed.note } : {}),
    targets,
  };
}

/** `/embargo` arguments, read: the time to hold the story until, or `null` to lift its embargo. */
export type EmbargoArgs =
  | {
      readonly ok: true;
      readonly storyRef: string;
      readonly untilMs: number | null;
      /** What the editor will see the time as, e.g. "Tue 8 Dec 2026, 09:00 (Europe/Berlin)". */
      readonly display?: string;
      readonly note?: string;
    }
  | { readonly ok: false; readonly error: string };

/** Examples shown whenever an `/embargo` cannot be read. */
export const EMBARGO_EXAMPLES =
  'e.g. /embargo k3m9x2qa tomorrow 09:00, /embargo k3m9x2qa 2026-12-08 09:00, /embargo k3m9x2qa in 3h, ' +
  '/embargo k3m9x2qa off';

const LIFT_WORDS = new Set(['off', 'lift', 'none']);

/**
 * Reads `/embargo <id> <when>` (a phrase for {@link parseWhen} in `timeZone`) or `/embargo <id> off`.
 * `now` is refused: an embargo that ends now holds nothing, and lifting says so plainly.
 */
export function parseEmbargoArgs(payload: string, timeZone: string, nowMs: number): EmbargoArgs {
  const words = payload.trim().split(/\s+/).filter(Boolean);
  const storyRef = words.shift();
  if (storyRef === undefined) return { ok: false, error: `Give a story id and a time, ${EMBARGO_EXAMPLES}` };
  const phrase = words.join(' ');
  if (phrase === '') return { ok: false, error: `Until when? ${EMBARGO_EXAMPLES}` };
  if (LIFT_WORDS.has(phrase.toLowerCase())) return { ok: true, storyRef, untilMs: null };
  if (phrase.toLowerCase() === 'now') {
    return { ok: false, error: `An embargo until now holds nothing: to lift one, /embargo ${storyRef} off` };
  }
  const parsed = parseWhen(phrase, timeZone, nowMs);
  if (!parsed.ok) return { ok: false, error: `${capitalize(parsed.error)}. ${EMBARGO_EXAMPLES}` };
  return {
    ok: true,
    storyRef,
    untilMs: parsed.atMs,
    display: parsed.display,
    ...(parsed.note ? { note: parsed.note } : {}),
  };
}

/** Replacement text for `/edit`, read. */
export type EditArgs =
  | { readonly ok: true; readonly storyRef: string; readonly changes: { title?: string; body?: string } }
  | { readonly ok: true; readonly storyRef: string; readonly changes: undefined }
  | { readonly ok: false; readonly error: string };

export const EDIT_USAGE =
  'Use /edit <id> title <new title>, /edit <id> body <new body>, or /edit <id> then a new line with ' +
  'the title and the body below it. /edit <id> alone asks for the text.';

/**
 * Reads `/edit <id> …`: `title <text>` replaces the title, `body <text>` the body, and text on the
 * following lines replaces both (first line title, the rest body). `changes` is undefined when only the
 * id was given (the bot then asks for the text).
 */
export function parseEditArgs(payload: string): EditArgs {
  const match = /^(\S+)[ \t]*(.*)$/s.exec(payload.trim());
  if (!match) return { ok: false, error: EDIT_USAGE };
  const storyRef = match[1]!;
  const rest = match[2]!.trim();
  if (rest === '') return { ok: true, storyRef, changes: undefined };
  if (/^(title|body):?$/i.test(rest)) return { ok: false, error: `${EDIT_USAGE}` };
  const field = /^(title|body):?[ \t\n]+(.+)$/is.exec(rest);
  if (field) {
    const value = field[2]!.trim();
    return field[1]!.toLowerCase() === 'title'
      ? { ok: true, storyRef, changes: { title: value } }
      : { ok: true, storyRef, changes: { body: value } };
  }
  const replaced = replacementText(rest);
  if (replaced) return { ok: true, storyRef, changes: replaced };
  return { ok: false, error: EDIT_USAGE };
}

/** Reads a full replacement: first non-empty line the title, the rest the body (which may be empty). */
export function replacementText(text: string): { title: string; body?: string } | undefined {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  while (lines.length > 0 && lines[0]!.trim() === '') lines.shift();
  const title = lines.shift()?.trim();
  if (!title) return undefined;
  const body = lines.join('\n').trim();
  return body === '' ? { title } : { title, body };
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

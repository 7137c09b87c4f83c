import { z } from 'zod';
import { PUBLICATION_DATE_FORMS, parsePublicationDate } from '../domain/publication-date.js';
import { type Story, type StoryDraft, storyIdFor } from '../domain/story.js';
import { InputError } from '../errors/input-error.js';
import { cleanStory } from './hygiene.js';
import type { PostFlagChoice } from './post-flags-text.js';
import type { RenderOptions } from './render-options.js';

/** Longest story body regwire accepts, in characters. A longer file is almost certainly not one story. */
export const MAX_BODY_CHARS = 100_000;
export const MAX_TITLE_CHARS = 400;

const httpUrl = z
  .string()
  .trim()
  .max(2048, 'is longer than 2048 characters')
  .refine((v) => {
    try {
      const u = new URL(v);
      return (u.protocol === 'http:' || u.protocol === 'https:') && u.hostname.includes('.');
    } catch {
      return false;
    }
  }, 'must be an absolute http(s) URL');

/** The JSON story file format, also used for stories arriving through the queue API. */
export const storyInputSchema = z
  .object({
    title: z
      .string()
      .trim()
      .min(1, 'is empty')
      .max(MAX_TITLE_CHARS, `is longer than ${MAX_TITLE_CHARS} characters`),
    body: z.string().max(MAX_BODY_CHARS, `is longer than ${MAX_BODY_CHARS} characters`).default(''),
    url: httpUrl.optional(),
    source: z.string().trim().min(1).max(200).optional(),
    /** Any of {@link PUBLICATION_DATE_FORMS}; stored as ISO 8601 UTC. */
    publishedAt: z
      .string()
      .optional()
      .transform((v, ctx) => {
        if (v === undefined) return undefined;
        const date = parsePublicationDate(v);
        if (date) return date.toISOString();
        ctx.addIssue({ code: 'custom', message: `is not a date: expected ${PUBLICATION_DATE_FORMS}` });
        return z.NEVER;
      }),
    imageUrl: httpUrl.optional(),
    /** Nothing is published before this time (ISO 8601 with its offset, e.g. 2026-12-05T09:00:00+01:00). */
    embargo: z.iso
      .datetime({
        offset: true,
        error: 'must be an ISO time with its offset, e.g. 2026-12-05T09:00:00+01:00',
      })
      .optional()
      .transform((v) => (v === undefined ? undefined : new Date(v).toISOString())),
    tags: z.array(z.string().trim().min(1).max(50)).max(20).default([]),
  })
  .strict();

const URL_ONLY_LINE = /^\s*<?(https?:\/\/\S+?)>?\s*$/;

/**
 * Reads a plain-text story: the first non-empty line is the title, the rest the body; a last line that
 * is only a URL becomes the story's url. Paragraphs keep their blank-line separation.
 */
export function parseStoryText(content: string): Record<string, unknown> {
  const lines = content
    .replace(/^\uFEFF/, '')
    .replace(/\r\n?/g, '\n')
    .split('\n');
  while (lines.length > 0 && (lines[0] ?? '').trim() === '') lines.shift();
  while (lines.length > 0 && (lines[lines.length - 1] ?? '').trim() === '') lines.pop();
  const title = (lines.shift() ?? '').trim();
  let url: string | undefined;
  const last = lines[lines.length - 1];
  const urlMatch = last === undefined ? null : URL_ONLY_LINE.exec(last);
  if (urlMatch?.[1]) {
    url = urlMatch[1];
    lines.pop();
  }
  const body = lines.join('\n').trim();
  return url === undefined ? { title, body } : { title, body, url };
}

/**
 * Turns a story file's content into a validated, cleaned {@link Story}. `.json` files use
 * {@link storyInputSchema}; anything else is read as plain text ({@link parseStoryText}).
 * Throws {@link InputError} with one clear line when the story cannot be used.
 */
export function storyFromFile(fileName: string, content: string, options: RenderOptions): Story {
  return storyFromInput(storyFileFields(fileName, content), options, fileName);
}

/** A story file read by {@link readStoryFile}: the story, and how its channel post goes out. */
export interface StoryFile {
  readonly story: Story;
  /** The file's `"silent"` and `"protect"` (JSON only); a field left out follows the destination. */
  readonly post: PostFlagChoice;
}

/**
 * {@link storyFromFile} for a file that may also say how its channel post goes out: a `.json` file's
 * `"silent": true|false` (no notification sound) and `"protect": true|false` (cannot be forwarded or
 * saved). They are not part of the story (its id, its text), so they are taken out before it is read.
 */
export function readStoryFile(fileName: string, content: string, options: RenderOptions): StoryFile {
  const raw = storyFileFields(fileName, content);
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    return { story: storyFromInput(raw, options, fileName), post: {} };
  const { silent, protect, ...rest } = raw as Record<string, unknown>;
  for (const [key, value] of [
    ['silent', silent],
    ['protect', protect],
  ] as const) {
    if (value !== undefined && typeof value !== 'boolean')
      throw new InputError(`${fileName}: ${key} must be true or false`);
  }
  const post: PostFlagChoice = {
    ...(typeof silent === 'boolean' ? { silent } : {}),
    ...(typeof protect === 'boolean' ? { protectContent: protect } : {}),
  };
  return { story: storyFromInput(rest, options, fileName), post };
}

/** A story file's fields: a `.json` file parsed, any other read as plain text. */
function storyFileFields(fileName: string, content: string): unknown {
  if (content.includes('\u0000')) throw new InputError(`${fileName}: is a binary file, not a story`);
  if (!/\.json$/i.test(fileName)) return parseStoryText(content);
  try {
    return JSON.parse(content);
  } catch (err) {
    throw new InputError(`${fileName}: not valid JSON (${(err as Error).message})`);
  }
}

/** Validates a story given as an object (JSON file, web form, API), cleans it and gives it its id. */
export function storyFromInput(raw: unknown, options: RenderOptions, origin = 'story'): Story {
  const parsed = storyInputSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const key = issue?.path.join('.') || '(story)';
    const message =
      issue?.code === 'unrecognized_keys'
        ? `unknown field(s) ${issue.keys.join(', ')}`
        : (issue?.message ?? 'is invalid');
    throw new InputError(`${origin}: ${key} ${message}`.replace(/: \(story\) /, ': '));
  }
  const input = parsed.data;
  const draft: StoryDraft = {
    title: input.title,
    body: input.body,
    tags: input.tags,
    ...(input.url === undefined ? {} : { url: input.url }),
    ...(input.source === undefined ? {} : { source: input.source }),
    ...(input.publishedAt === undefined ? {} : { publishedAt: input.publishedAt }),
    ...(input.imageUrl === undefined ? {} : { imageUrl: input.imageUrl }),
  };
  const cleaned = cleanStory(draft, options);
  if (cleaned.draft.title.trim() === '') throw new InputError(`${origin}: title is empty after cleaning`);
  if (cleaned.draft.body.trim() === '' && cleaned.draft.url === undefined) {
    throw new InputError(`${origin}: the story has neither a body nor a url; give at least one`);
  }
  return {
    id: storyIdFor(cleaned.draft),
    ...cleaned.draft,
    ...(input.embargo === undefined ? {} : { embargoUntil: input.embargo }),
    changes: cleaned.changes,
  };
}

import { z } from 'zod';
import { amendmentOptionsSchema } from './amendment-options.js';
import { DEFAULT_BOILERPLATE_PATTERNS } from './boilerplate.js';
import { DEFAULT_HASHTAG_DICTIONARY } from './hashtag-dictionary.js';
import { TELEGRAM_LIMITS } from './limits.js';
import { xOptionsSchema } from './x-options.js';

const regexSource = z.string().refine(
  (source) => {
    try {
      new RegExp(source, 'iu');
      return true;
    } catch {
      return false;
    }
  },
  { message: 'not a valid regular expression' },
);

const hygieneSchema = z
  .object({
    /** Repair UTF-8 text that was decoded as Windows-1252/1253 or Latin-1. */
    repairMojibake: z.boolean().default(true),
    /** A title that is only a label (`BREAKING:`, `Highlights:`) gives way to the next line. */
    liftLabelledTitle: z.boolean().default(true),
    /** Embedded social posts become quotes with a plain attribution (no @mention), or go when redundant. */
    rewriteEmbeddedPosts: z.boolean().default(true),
    /** Drop lines that are only other stories' headlines (`Headline - Outlet`, under `Related:`). */
    dropRelatedHeadlines: z.boolean().default(true),
    /** Drop a first paragraph (or line) of the body that repeats the title. */
    dropRepeatedTitle: z.boolean().default(true),
    /** Regular-expression sources, matched case-insensitively against each whole trimmed body line. */
    boilerplatePatterns: z.array(regexSource).default([...DEFAULT_BOILERPLATE_PATTERNS]),
    /** Longer lines (UTF-16 units) are never treated as boilerplate. */
    boilerplateMaxLineLength: z.number().int().positive().default(200),
  })
  .prefault({});

const hashtagsSchema = z
  .object({
    /** At most this many hashtags per story. */
    max: z.number().int().min(0).max(10).default(4),
    /** A tag needs at least this score: each body mention counts 1 (up to 5), a title mention `titleWeight`. */
    minScore: z.number().int().min(1).default(2),
    titleWeight: z.number().int().min(1).default(3),
    /** Also use the story's own tags (first, when they are valid hashtags). */
    useStoryTags: z.boolean().default(true),
    /** Tag (without `#`) → terms; see `hashtag-dictionary.ts` for the matching rules. */
    dictionary: z
      .record(
        z.string().regex(/^[\p{L}\p{N}_]+$/u, 'a hashtag is letters, digits and underscores'),
        z.array(z.string().min(1)).min(1),
      )
      .default(() => structuredClone(DEFAULT_HASHTAG_DICTIONARY) as Record<string, string[]>),
  })
  .prefault({});

const linkPreviewSchema = z
  .object({
    /** Show the source page's preview under (or above) the post. */
    enabled: z.boolean().default(true),
    size: z.enum(['auto', 'small', 'large']).default('large'),
    position: z.enum(['below', 'above']).default('below'),
  })
  .prefault({});

const imageSchema = z
  .object({
    /**
     * `caption`: one photo with the post as its caption; `photo-then-text`: the photo with the headline, then
     * the post as a message; `ignore`: never send the image.
     */
    mode: z.enum(['caption', 'photo-then-text', 'ignore']).default('caption'),
    /** When the post does not fit a caption: `cut` it at a sentence, or fall back to `photo-then-text`. */
    overflow: z.enum(['cut', 'photo-then-text']).default('cut'),
  })
  .prefault({});

const telegramSchema = z
  .object({
    /** Message text limit in UTF-16 units (the Bot API's is 4096). */
    maxTextLength: z
      .number()
      .int()
      .min(256)
      .max(TELEGRAM_LIMITS.messageText)
      .default(TELEGRAM_LIMITS.messageText),
    /** Caption limit in UTF-16 units (the Bot API's is 1024). */
    maxCaptionLength: z.number().int().min(128).max(TELEGRAM_LIMITS.caption).default(TELEGRAM_LIMITS.caption),
    /** The lead is the first paragraphs that fit, at most this many; 0 means the whole body. */
    maxLeadParagraphs: z.number().int().min(0).default(3),
    /** Longer headlines (UTF-16 units) are cut at a word, with an ellipsis. */
    maxHeadlineLength: z.number().int().min(32).max(512).default(300),
    /** How the source link appears: a text link line, an inline URL button, both, or not at all. */
    sourceLink: z.enum(['text', 'button', 'both', 'none']).default('text'),
    sourceLinkLabel: z.string().min(1).max(TELEGRAM_LIMITS.buttonText).default('Read source'),
    linkPreview: linkPreviewSchema,
    image: imageSchema,
    hashtags: z.boolean().default(true),
  })
  .prefault({});

/** The formatting options: the `format` section of the configuration (`config/format.json`). */
export const renderOptionsSchema = z
  .object({
    hygiene: hygieneSchema,
    hashtags: hashtagsSchema,
    telegram: telegramSchema,
    x: xOptionsSchema,
    amendments: amendmentOptionsSchema,
  })
  .prefault({});

/** Formatting options; every field has a default. */
export type RenderOptions = z.infer<typeof renderOptionsSchema>;

/** The options with every default, as `renderOptionsSchema.parse({})` gives them. */
export const defaultRenderOptions: RenderOptions = renderOptionsSchema.parse({});

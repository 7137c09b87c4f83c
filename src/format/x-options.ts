import { z } from 'zod';
import { X_LINK_POLICIES, type XLinkPolicy, type XPostFormat } from '../domain/x-link-policy.js';
import { X_LIMITS } from './limits.js';

const numberingSchema = z
  .object({
    /** Where `i/n` goes in each post, or `off`. A one-post thread is never numbered. */
    position: z.enum(['suffix', 'prefix', 'off']).default('suffix'),
    /** `{i}` is the post's number, `{n}` the thread's length. */
    format: z
      .string()
      .min(1)
      .max(20)
      .refine((f) => f.includes('{i}'), { message: 'must contain {i}' })
      .default('{i}/{n}'),
  })
  .prefault({});

const FORMATS: readonly [XPostFormat, ...XPostFormat[]] = ['thread', 'long-post', 'auto'];

/** The `x` section of `config/format.json`: how a story becomes posts on X. */
export const xOptionsSchema = z
  .object({
    /**
     * Weighted length limit of one post: 280 (X's), up to 25,000 for an account with X Premium. Thread
     * posts never exceed 280; only `format` `long-post` or `auto` use more.
     */
    maxWeightedLength: z
      .number()
      .int()
      .min(80)
      .max(X_LIMITS.premiumWeightedLength)
      .default(X_LIMITS.weightedLength),
    /** `thread`, `long-post` or `auto`; see {@link XPostFormat}. Long posts need `maxWeightedLength` above 280. */
    format: z.enum(FORMATS).default('thread'),
    /** Longest thread; a longer story keeps its lead and its last post links to the full story. */
    maxTweets: z.number().int().min(1).max(25).default(6),
    numbering: numberingSchema,
    /**
     * The link policy (the issue's `x.link`): where the story link goes, `first` (with the headline), `last`
     * (the end of the last post), `reply` (alone in a final reply: one more post than `maxTweets` when the
     * story fills them), or `none` (not on X; Telegram keeps it). See {@link XLinkPolicy}; a story may
     * override it.
     */
    linkPlacement: z.enum(X_LINK_POLICIES as readonly [XLinkPolicy, ...XLinkPolicy[]]).default('last'),
    /** Text before the link in the post that carries it (`last` and `reply`). */
    linkLabel: z.string().max(40).default('Full story:'),
    /** Hashtags on X: none (the default), or appended to the first or last post when they fit. */
    hashtags: z.enum(['none', 'first', 'last']).default('none'),
  })
  .prefault({});

/** Options of the X formatter; every field has a default. */
export type XOptions = z.infer<typeof xOptionsSchema>;

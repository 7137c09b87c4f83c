import { z } from 'zod';

/**
 * How corrections, retractions and live updates read (`amendments` in `config/format.json`). In each template `{time}`
 * is the time it was asked for (HH:MM, UTC), `{text}` the correction or the retraction's reason, `{title}`
 * the story's headline.
 */
export const amendmentOptionsSchema = z
  .object({
    /** The line added under a corrected Telegram post. */
    telegramCorrection: z.string().min(1).max(200).default('Corrected {time} UTC: {text}'),
    /** The reply under the first tweet of a corrected thread. */
    xCorrection: z.string().min(1).max(200).default('Correction: {text}'),
    /** What a retracted Telegram post becomes when it is too old to delete (48 hours or more). */
    telegramRetraction: z.string().min(1).max(400).default('Retracted {time} UTC: {text}\n\n{title}'),
    /** A tweet posted after a retracted thread's tweets are deleted; empty posts none. */
    xRetractionNotice: z.string().max(200).default(''),
    /** The headline of a live story's update: first in its reply on Telegram and its tweets on X. */
    updateHeadline: z.string().min(1).max(100).default('Update {time} UTC'),
  })
  .prefault({});

/** The amendment texts; every field has a default. */
export type AmendmentOptions = z.infer<typeof amendmentOptionsSchema>;

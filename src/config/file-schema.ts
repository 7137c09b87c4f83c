import { z } from 'zod';
import { destinationScheduleSchema } from '../schedule/destination-schedule.js';
import { timeZoneSchema } from '../schedule/time-zone-schema.js';
import { amendmentsSchema } from './amendments-schema.js';
import { approvalSchema } from './approval-schema.js';
import { xBillingSchema } from './x-billing-schema.js';

/** `config/regwire.json`: destinations and delivery behaviour. Every field has a default. */
export const fileConfigSchema = z
  .object({
    delivery: z
      .object({
        /** Attempts for transient failures (5xx, connection refused) before a part is failed. */
        attempts: z.number().int().min(1).max(50).default(8),
        /** First backoff delay; doubles each attempt, with jitter. */
        backoffMs: z.number().int().min(10).max(600_000).default(2_000),
        /** A platform call that has not answered by then is treated as "outcome unknown". */
        requestTimeoutMs: z.number().int().min(100).max(120_000).default(15_000),
        /** Jobs processed in parallel per destination worker. */
        concurrency: z.number().int().min(1).max(64).default(4),
        /**
         * On SIGTERM, sends in flight get this long to finish before the workers are closed hard (an
         * interrupted publication resumes at its first unconfirmed part). Keep it below the
         * orchestrator's stop timeout: Docker's default is 10 s, the compose file gives 30 s.
         */
        shutdownGraceMs: z.number().int().min(0).max(300_000).default(10_000),
        /**
         * X only: a tweet whose outcome is unknown and that the timeline does not show is looked for
         * once more after this long (timelines lag) before it counts as not posted.
         */
        reconcileRecheckMs: z.number().int().min(0).max(120_000).default(3_000),
        /**
         * X only: how many of the account's latest posts a reconcile reads, at most (X bills every post
         * read; the read starts at the part's `sending` time, so a few are enough).
         */
        reconcileReadLimit: z.number().int().min(5).max(100).default(10),
      })
      .strict()
      .prefault({}),
    destinations: z
      .record(
        z.string().regex(/^[a-z][a-z0-9-]{0,31}$/, 'destination ids are lower-case letters, digits and -'),
        z
          .object({
            platform: z.enum(['telegram', 'x']),
            enabled: z.boolean().default(true),
            schedule: z.record(z.string(), z.unknown()).default({}),
            /**
             * Telegram only: how its posts go out unless a story says otherwise (`/quiet`, `/protect`):
             * `silent` without a sound (`disable_notification`), `protectContent` not forwardable or
             * savable (`protect_content`). Both default to false.
             */
            post: z
              .object({ silent: z.boolean().default(false), protectContent: z.boolean().default(false) })
              .strict()
              .optional(),
          })
          .strict()
          .refine((d) => d.platform === 'telegram' || d.post === undefined, {
            message: 'post (silent, protectContent) is for Telegram destinations only',
            path: ['post'],
          })
          .transform((d, ctx) => {
            // The schedule policy is validated with the destination's platform, so X and Telegram
            // limits are checked against the right shape.
            const parsed = destinationScheduleSchema.safeParse({ ...d.schedule, platform: d.platform });
            if (!parsed.success) {
              for (const issue of parsed.error.issues) {
                ctx.addIssue({
                  code: 'custom',
                  path: ['schedule', ...issue.path.map(String)],
                  message: issue.message,
                });
              }
              return z.NEVER;
            }
            const post = d.post ?? { silent: false, protectContent: false };
            return { platform: d.platform, enabled: d.enabled, schedule: parsed.data, post };
          }),
      )
      .prefault({
        telegram: { platform: 'telegram', enabled: true, schedule: {} },
        x: { platform: 'x', enabled: true, schedule: {} },
      }),
    digest: z
      .object({
        /** Post a digest of the day's published stories automatically. */
        enabled: z.boolean().default(true),
        hour: z.number().int().min(0).max(23).default(20),
        minute: z.number().int().min(0).max(59).default(0),
        timeZone: timeZoneSchema,
        /** At most this many stories in one digest (the most recent). */
        maxStories: z.number().int().min(1).max(30).default(10),
      })
      .strict()
      .prefault({}),
    /** X's billing as regwire sees it: prices, the spending budget, running out of credits. */
    x: xBillingSchema,
    /** The two-person rule: which stories need a second editor's approval. */
    approval: approvalSchema,
    /** Corrections, retractions and updates: how long a preview waits for Confirm. */
    amendments: amendmentsSchema,
  })
  .strict();

export type FileConfig = z.infer<typeof fileConfigSchema>;

import { z } from 'zod';

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
          })
          .strict(),
      )
      .default({
        telegram: { platform: 'telegram', enabled: true, schedule: {} },
        x: { platform: 'x', enabled: true, schedule: {} },
      }),
  })
  .strict();

export type FileConfig = z.infer<typeof fileConfigSchema>;

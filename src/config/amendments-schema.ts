import { z } from 'zod';

/**
 * Corrections, retractions and updates after publication (`amendments` in `config/regwire.json`):
 * `proposalTtlHours`, how long a previewed one waits for an editor's Confirm or Cancel before the maintenance
 * sweep discards it, unsent (default 24; from 5 minutes to 30 days).
 */
export const amendmentsSchema = z
  .object({
    proposalTtlHours: z
      .number()
      .min(1 / 12)
      .max(30 * 24)
      .default(24),
  })
  .strict()
  .prefault({});

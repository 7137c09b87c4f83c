import { z } from 'zod';

// STUB (issue 3 replaces the contents, keeping the exported names): the formatting options,
// validated as the `format` section of config/regwire.json.
export const renderOptionsSchema = z
  .object({
    telegram: z.object({ maxTextLength: z.number().int().positive().default(4096) }).prefault({}),
    x: z.object({ maxWeightedLength: z.number().int().positive().default(280) }).prefault({}),
  })
  .prefault({});

/** Formatting options; every field has a default. */
export type RenderOptions = z.infer<typeof renderOptionsSchema>;

export const defaultRenderOptions: RenderOptions = renderOptionsSchema.parse({});

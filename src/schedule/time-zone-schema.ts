import { z } from 'zod';
import { isKnownTimeZone } from './wall-clock.js';

/** An IANA time zone name the runtime knows, defaulting to the newsroom's `Europe/Berlin`. */
export const timeZoneSchema = z
  .string()
  .refine(isKnownTimeZone, 'not a known IANA time zone, e.g. "Europe/Berlin"')
  .default('Europe/Berlin');

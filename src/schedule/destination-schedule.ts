import { z } from 'zod';
import type { LiveBudget, RateLimits } from './pacing.js';
import { timeZoneSchema } from './time-zone-schema.js';
import { CLOCK_TIME_PATTERN, clockTimeMinutes } from './wall-clock.js';

const clockTime = z.string().regex(CLOCK_TIME_PATTERN, 'times are 24-hour HH:MM, e.g. "08:30"');

const quietHoursSchema = z
  .object({
    start: clockTime,
    end: clockTime,
    /**
     * What quiet hours mean: `hold` (default) plans no slot-planned story inside them; `silent` plans
     * as usual and sends Telegram posts inside them without a sound (`disable_notification`).
     */
    during: z.enum(['hold', 'silent']).optional(),
  })
  .strict()
  .refine((q) => q.start !== q.end, 'quiet hours need a different start and end, e.g. 23:00 to 07:00');

/** Quiet hours: local `[start, end)`, wrapping midnight when `start` is later than `end`. */
export type QuietHours = z.infer<typeof quietHoursSchema>;

/**
 * Whether quiet hours keep slot-planned stories out of this local minute: inside them, unless they mean
 * "send silently" (`during: 'silent'`).
 */
export function isHoldingMinute(quietHours: QuietHours | null, minuteOfDay: number): boolean {
  return quietHours?.during !== 'silent' && isQuietMinute(quietHours, minuteOfDay);
}

/** Whether a local time (minutes after midnight) falls inside quiet hours. */
export function isQuietMinute(quietHours: QuietHours | null, minuteOfDay: number): boolean {
  if (!quietHours) return false;
  const start = clockTimeMinutes(quietHours.start)!;
  const end = clockTimeMinutes(quietHours.end)!;
  return start < end ? minuteOfDay >= start && minuteOfDay < end : minuteOfDay >= start || minuteOfDay < end;
}

const commonFields = {
  /** IANA zone the slots, quiet hours and daily cap are read in. */
  timeZone: timeZoneSchema,
  /** Local publishing slots, `HH:MM`; one story per slot. Sorted and de-duplicated on parse. */
  slots: z
    .array(clockTime)
    .min(1, 'give at least one slot, e.g. ["08:30"]')
    .default(['08:30', '12:00', '17:30'])
    .transform((slots) => [...new Set(slots)].sort()),
  /** Least time between two stories on this destination (next-slot and now requests), in ms. */
  minGapMs: z
    .number()
    .int()
    .min(0)
    .max(24 * 3_600_000)
    .default(15 * 60_000),
  /** No slot-planned story in these local hours (or, with `during: 'silent'`, sent silently); `null` for none. */
  quietHours: quietHoursSchema.nullable().default({ start: '23:00', end: '07:00' }),
  /** Most stories per local day planned into slots; `null` for no cap. */
  dailyCap: z.number().int().positive().nullable().default(null),
  /** When false, nothing is planned for this destination. */
  enabled: z.boolean().default(true),
};

const telegramRateSchema = z
  .object({
    /** Telegram's flood limit for one group or channel: 20 messages per minute. */
    perMinute: z.number().int().positive().default(20),
    /** Telegram's "about one message per second in a chat". */
    minIntervalMs: z.number().int().min(0).default(1_000),
  })
  .strict();

const xRateSchema = z
  .object({
    /** X's per-user window for `POST /2/tweets`. */
    windowMs: z
      .number()
      .int()
      .positive()
      .default(15 * 60_000),
    perWindow: z.number().int().positive().default(100),
    /** Posts per 24 h; at run time the `x-user-limit-24hour-*` headers win over this number. */
    perDay: z.number().int().positive().default(2_400),
    /**
     * Spacing of the tweets of a thread (each replies to the one before). Not an X limit: it keeps two
     * threads from interleaving and is how long a thread occupies the account.
     */
    minIntervalMs: z.number().int().min(0).default(250),
  })
  .strict();

/**
 * One destination's schedule policy, the `schedule` section of a destination in `config/regwire.json`
 * with the destination's `platform` added. Every field but `platform` has a default.
 */
export const destinationScheduleSchema = z
  .discriminatedUnion('platform', [
    z
      .object({ platform: z.literal('telegram'), ...commonFields, rate: telegramRateSchema.prefault({}) })
      .strict(),
    z.object({ platform: z.literal('x'), ...commonFields, rate: xRateSchema.prefault({}) }).strict(),
  ])
  .superRefine((schedule, ctx) => {
    for (const slot of schedule.slots) {
      if (isHoldingMinute(schedule.quietHours, clockTimeMinutes(slot)!)) {
        ctx.addIssue({
          code: 'custom',
          path: ['slots'],
          message: `slot ${slot} is inside quiet hours ${schedule.quietHours?.start}–${schedule.quietHours?.end} and would never be used`,
        });
      }
    }
  });

/** A validated schedule policy; see {@link destinationScheduleSchema}. */
export type DestinationSchedule = z.infer<typeof destinationScheduleSchema>;
/** What a config file may give for {@link DestinationSchedule}. */
export type DestinationScheduleInput = z.input<typeof destinationScheduleSchema>;

/** Live X budgets read from response headers: the 15-minute window and the 24-hour cap. */
export interface LiveRateState {
  readonly window?: LiveBudget;
  readonly day?: LiveBudget;
}

function minutesText(ms: number): string {
  return ms % 60_000 === 0 ? `${ms / 60_000} min` : `${ms / 1_000} s`;
}

/** The platform pacing limits of a policy as {@link RateLimits}, with live X budgets folded in. */
export function rateLimitsOf(schedule: DestinationSchedule, live?: LiveRateState): RateLimits {
  const spacing = `${schedule.rate.minIntervalMs} ms between messages`;
  if (schedule.platform === 'telegram') {
    return {
      windows: [
        {
          windowMs: 60_000,
          limit: schedule.rate.perMinute,
          label: `Telegram per-minute limit reached (${schedule.rate.perMinute}/min)`,
        },
      ],
      minIntervalMs: schedule.rate.minIntervalMs,
      minIntervalLabel: `Telegram message spacing (${spacing})`,
    };
  }
  const { windowMs, perWindow, perDay, minIntervalMs } = schedule.rate;
  return {
    windows: [
      {
        windowMs,
        limit: perWindow,
        label: `X rate window full (${perWindow} per ${minutesText(windowMs)})`,
        ...(live?.window ? { live: live.window } : {}),
      },
      {
        windowMs: 24 * 3_600_000,
        limit: perDay,
        label: `X daily cap reached (${perDay}/day)`,
        ...(live?.day ? { live: live.day } : {}),
      },
    ],
    minIntervalMs,
    minIntervalLabel: `X thread spacing (${minIntervalMs} ms between tweets)`,
  };
}

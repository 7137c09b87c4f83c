import { TelegramError } from 'telegraf';
import { expect } from 'vitest';

/** A clock tests move by hand; pass `clock.now` as the stand-in's `now`. */
export class ManualClock {
  #ms: number;

  constructor(start = Date.UTC(2026, 0, 15, 9, 0, 0)) {
    this.#ms = start;
  }

  readonly now = (): number => this.#ms;

  advance(ms: number): void {
    this.#ms += ms;
  }
}

/** Awaits a telegraf call that must fail with this Bot API error code and description. */
export async function expectTelegramError(
  call: Promise<unknown>,
  code: number,
  description: string | RegExp,
): Promise<TelegramError> {
  const error = await call.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(error, 'the call should have failed').toBeInstanceOf(TelegramError);
  const telegramError = error as TelegramError;
  expect(telegramError.code).toBe(code);
  if (typeof description === 'string') expect(telegramError.description).toBe(description);
  else expect(telegramError.description).toMatch(description);
  return telegramError;
}

/** Polls `check` until it returns a value other than `undefined`, or fails after `timeoutMs`. */
export async function eventually<T>(check: () => T | undefined, timeoutMs = 3_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

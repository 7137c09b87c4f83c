/**
 * Fault kinds shared by the Telegram and X stand-ins, so a fault reads the same on both platforms.
 *
 * Real front ends fail on either side of the platform acting: a gateway can refuse before the request
 * reaches the platform, or answer 5xx, reset or hang after the message or tweet was already created.
 */

/** HTTP statuses a platform's front end answers with when something behind it failed. */
export const SERVER_ERROR_STATUSES = [500, 502, 503, 504] as const;
export type ServerErrorStatus = (typeof SERVER_ERROR_STATUSES)[number];

/** Answered with that status *before* the platform acts: nothing is created. */
export type ServerErrorBeforeKind = `http-${ServerErrorStatus}`;
/** The platform acts (the message or tweet exists), *then* the front end answers with that status. */
export type ServerErrorAfterKind = `http-${ServerErrorStatus}-after`;

/**
 * What a fault does to a matching request:
 * - `http-429`: refused as rate-limited; nothing is created.
 * - `http-500` / `http-502` / `http-503` / `http-504`: answered with that status; nothing is created.
 * - `http-500-after` … `http-504-after`: the request IS handled (the message or tweet is created), then
 *   answered with that status instead of the real answer.
 * - `drop-before`: the connection is destroyed before the request is handled; nothing is created.
 * - `drop-after`: the request IS handled, then the connection is reset unanswered.
 * - `timeout-after`: the request IS handled, then never answered (until the client gives up or the stand-in
 *   closes).
 * - `latency`: the request is handled and answered normally after a delay.
 */
export type StandInFaultKind =
  | 'http-429'
  | ServerErrorBeforeKind
  | ServerErrorAfterKind
  | 'drop-before'
  | 'drop-after'
  | 'timeout-after'
  | 'latency';

/** Every fault kind both stand-ins accept, in documentation order. */
export const STAND_IN_FAULT_KINDS: readonly StandInFaultKind[] = [
  'http-429',
  ...SERVER_ERROR_STATUSES.map((status): ServerErrorBeforeKind => `http-${status}`),
  ...SERVER_ERROR_STATUSES.map((status): ServerErrorAfterKind => `http-${status}-after`),
  'drop-before',
  'drop-after',
  'timeout-after',
  'latency',
];

/** Whether `kind` names a fault kind the stand-ins know. */
export function isStandInFaultKind(kind: unknown): kind is StandInFaultKind {
  return typeof kind === 'string' && (STAND_IN_FAULT_KINDS as readonly string[]).includes(kind);
}

/** The status and side of a 5xx fault kind; undefined for every other kind. */
export function serverErrorOf(
  kind: StandInFaultKind,
): { readonly status: ServerErrorStatus; readonly afterActing: boolean } | undefined {
  const match = /^http-(5\d\d)(-after)?$/.exec(kind);
  if (!match) return undefined;
  const status = Number(match[1]) as ServerErrorStatus;
  return SERVER_ERROR_STATUSES.includes(status) ? { status, afterActing: match[2] !== undefined } : undefined;
}

/** The reason phrase of a 5xx status, as front ends put it in the status line. */
export const SERVER_ERROR_TITLES: Readonly<Record<ServerErrorStatus, string>> = {
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

/**
 * Publication dates as people and feeds write them, read without `Date.parse` (whose leniency is
 * engine-specific: it takes `"1"` for the year 2001). Pure.
 */

/** What {@link parsePublicationDate} reads, for error messages. */
export const PUBLICATION_DATE_FORMS =
  'a date such as 2022-03-15, ISO 8601 such as 2022-03-15T10:00:00+01:00, or RFC 2822 such as Tue, 15 Mar 2022 10:00:00 GMT';

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const MONTH =
  '(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\\.?';
const WEEKDAY = '(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\\.?,?\\s*)?';
const TIME = '(\\d{1,2}):(\\d{2})(?::(\\d{2})(?:[.,](\\d{1,9}))?)?';
// Zone names RFC 2822 defines (obsolete but common in feeds); other names are refused rather than guessed.
const ZONE_NAMES: Readonly<Record<string, number>> = {
  z: 0,
  ut: 0,
  utc: 0,
  gmt: 0,
  est: -300,
  edt: -240,
  cst: -360,
  cdt: -300,
  mst: -420,
  mdt: -360,
  pst: -480,
  pdt: -420,
};
const ZONE = '(z|ut|utc|gmt|[ecmp][sd]t|(?:gmt|utc)?[+-]\\d{2}(?::?\\d{2})?)?';

const ISO = new RegExp(`^(\\d{4})-(\\d{2})-(\\d{2})(?:[t\\s]+${TIME}\\s*${ZONE})?$`, 'i');
const SLASHED = /^(\d{4})\/(\d{1,2})\/(\d{1,2})$/;
// RFC 2822 and its loose relatives: "Tue, 15 Mar 2022 10:00:00 GMT", "15 March 2022".
const DAY_MONTH_YEAR = new RegExp(
  `^${WEEKDAY}(\\d{1,2})(?:st|nd|rd|th)?\\s+${MONTH}\\s+(\\d{2}|\\d{4})(?:,?\\s+(?:at\\s+)?${TIME}\\s*${ZONE})?$`,
  'i',
);
// "March 15, 2022", "Mar 15 2022 10:00 UTC", and JavaScript's own "Tue Mar 15 2022 10:00:00 GMT+0000".
const MONTH_DAY_YEAR = new RegExp(
  `^${WEEKDAY}${MONTH}\\s+(\\d{1,2})(?:st|nd|rd|th)?,?\\s+(\\d{4})(?:,?\\s+(?:at\\s+)?${TIME}\\s*${ZONE})?(?:\\s*\\([^)]*\\))?$`,
  'i',
);

interface Parts {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
  readonly millis: number;
  /** Minutes east of UTC. */
  readonly offset: number;
}

/**
 * The instant a publication date stands for, or `undefined` when the text is not one of
 * {@link PUBLICATION_DATE_FORMS} (or names an impossible day or time). A date without a time is midnight,
 * and a time without a zone is UTC: neither says where it was written, and UTC is what stories store.
 * Two-digit RFC 2822 years are read as RFC 5322 says (00–49 → 20xx, 50–99 → 19xx).
 */
export function parsePublicationDate(text: string): Date | undefined {
  const parts = readParts(text.trim().replace(/\s+/g, ' '));
  if (!parts) return undefined;
  const { year, month, day, hour, minute, second, millis, offset } = parts;
  if (month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) return undefined;
  if (hour > 24 || minute > 59 || second > 60 || (hour === 24 && (minute > 0 || second > 0)))
    return undefined;
  if (Math.abs(offset) > 18 * 60) return undefined;
  // A leap second (:60) is the last instant of its minute for every purpose here.
  const ms = Date.UTC(year, month - 1, day, hour, minute, Math.min(second, 59), millis) - offset * 60_000;
  return Number.isFinite(ms) ? new Date(ms) : undefined;
}

function readParts(text: string): Parts | undefined {
  let m = ISO.exec(text);
  if (m) return build(m[1], m[2], m[3], m.slice(4, 9));
  m = SLASHED.exec(text);
  if (m) return build(m[1], m[2], m[3], []);
  m = DAY_MONTH_YEAR.exec(text);
  if (m) return build(fullYear(m[3]!), monthNumber(m[2]!), m[1], m.slice(4, 9));
  m = MONTH_DAY_YEAR.exec(text);
  if (m) return build(m[3], monthNumber(m[1]!), m[2], m.slice(4, 9));
  return undefined;
}

/** `time` is the TIME and ZONE captures: hour, minute, second, fraction, zone. */
function build(
  year: string | undefined,
  month: string | undefined,
  day: string | undefined,
  time: readonly (string | undefined)[],
): Parts | undefined {
  const [hour, minute, second, fraction, zone] = time;
  const offset = zoneOffset(zone);
  if (offset === undefined) return undefined;
  return {
    year: Number(year),
    month: Number(month),
    day: Number(day),
    hour: Number(hour ?? 0),
    minute: Number(minute ?? 0),
    second: Number(second ?? 0),
    millis: fraction === undefined ? 0 : Math.floor(Number(`0.${fraction}`) * 1000),
    offset,
  };
}

function zoneOffset(zone: string | undefined): number | undefined {
  if (zone === undefined || zone === '') return 0;
  const lower = zone.toLowerCase();
  const named = ZONE_NAMES[lower];
  if (named !== undefined) return named;
  const m = /^(?:gmt|utc)?([+-])(\d{2}):?(\d{2})?$/.exec(lower);
  if (!m) return undefined;
  const minutes = Number(m[2]) * 60 + Number(m[3] ?? 0);
  return m[1] === '-' ? -minutes : minutes;
}

function monthNumber(name: string): string {
  return String(MONTHS.indexOf(name.slice(0, 3).toLowerCase()) + 1);
}

function fullYear(year: string): string {
  if (year.length === 4) return year;
  const yy = Number(year);
  return String(yy < 50 ? 2000 + yy : 1900 + yy);
}

function daysIn(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

import { readFileSync } from 'node:fs';

const FIXTURES = new URL('../contract/fixtures/', import.meta.url);

/** A platform documentation fixture: the example itself plus `source`, the page it was taken from. */
export interface DocFixture {
  readonly source: string;
}

/** Reads `test/contract/fixtures/<path>`; refuses a fixture that does not name its source URL. */
export function docFixture<T extends DocFixture = DocFixture>(path: string): T {
  const fixture = JSON.parse(readFileSync(new URL(path, FIXTURES), 'utf8')) as T;
  if (typeof fixture.source !== 'string' || !/^https:\/\//.test(fixture.source)) {
    throw new Error(`fixture ${path} does not name its source URL`);
  }
  return fixture;
}

/** The shape of a JSON value: objects keep their keys, arrays the shape of their first item, leaves their type. */
export function shapeOf(value: unknown): unknown {
  if (Array.isArray(value)) return value.length === 0 ? [] : [shapeOf(value[0])];
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([key, inner]) => [key, shapeOf(inner)]),
    );
  }
  return value === null ? 'null' : typeof value;
}

/** Every t.co link in `text` with its 10-character code replaced by `CODE`, to compare texts X shortened. */
export const withoutShortCodes = (text: string): string =>
  text.replace(/https:\/\/t\.co\/[A-Za-z0-9]{10}/g, 'https://t.co/CODE');

/** X's t.co links: `https://t.co/` and 10 letters or digits, as in every example of X's documentation. */
export const T_CO_LINK = /^https:\/\/t\.co\/[A-Za-z0-9]{10}$/;

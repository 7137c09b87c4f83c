import twitterText from 'twitter-text';
import type { XStandInUrlEntity } from './x-standin-types.js';

const SHORT_CODE_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const SHORT_CODE_LENGTH = 10;
const DISPLAY_URL_MAX = 25;

/** The media key X gives an uploaded photo: `3_` and its media id. */
export const photoMediaKey = (mediaId: string): string => `3_${mediaId}`;

/** A fresh t.co code of 10 letters and digits, drawn from `random` (0..1). */
export function shortCode(random: () => number): string {
  let code = '';
  for (let i = 0; i < SHORT_CODE_LENGTH; i += 1) {
    code += SHORT_CODE_ALPHABET[Math.floor(random() * SHORT_CODE_ALPHABET.length)] ?? 'A';
  }
  return code;
}

const escapeHtml = (text: string): string =>
  text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');

function displayUrl(url: string): string {
  const bare = url.replace(/^https?:\/\//i, '');
  return bare.length > DISPLAY_URL_MAX ? `${bare.slice(0, DISPLAY_URL_MAX - 1)}…` : bare;
}

/** Code point offset of a UTF-16 index in `text`: X's v2 entity offsets count characters, not code units. */
const codePoints = (text: string, utf16Index: number): number => [...text.slice(0, utf16Index)].length;

/** The media link X appends to a tweet that carries media. */
export interface MediaLink {
  readonly mediaKey: string;
  /** `https://x.com/<username>/status/<id>/photo/1`. */
  readonly expandedUrl: string;
}

/** A tweet's text as X returns it, with the URL entities that explain each t.co link. */
export interface ReturnedText {
  readonly text: string;
  readonly urls: readonly XStandInUrlEntity[];
}

/**
 * What X does to a tweet's text between `POST /2/tweets` and the `text` it returns: every link or bare domain
 * twitter-text recognises becomes its own `https://t.co/<10 chars>`; `&`, `<` and `>` elsewhere are
 * HTML-escaped (`&amp;`, `&lt;`, `&gt;`); a tweet with media gets one more t.co link appended, after a space
 * (or alone when there was no text).
 */
export function returnedText(submitted: string, newShortCode: () => string, media?: MediaLink): ReturnedText {
  let text = '';
  const urls: XStandInUrlEntity[] = [];
  let from = 0;
  for (const found of twitterText.extractUrlsWithIndices(submitted)) {
    const [start, end] = found.indices;
    text += escapeHtml(submitted.slice(from, start));
    const tco = `https://t.co/${newShortCode()}`;
    const startChar = codePoints(text, text.length);
    text += tco;
    urls.push({
      start: startChar,
      end: startChar + tco.length,
      url: tco,
      expanded_url: /^https?:\/\//i.test(found.url) ? found.url : `http://${found.url}`,
      display_url: displayUrl(found.url),
    });
    from = end;
  }
  text += escapeHtml(submitted.slice(from));
  if (media) {
    const code = newShortCode();
    const tco = `https://t.co/${code}`;
    if (text.length > 0) text += ' ';
    const startChar = codePoints(text, text.length);
    text += tco;
    urls.push({
      start: startChar,
      end: startChar + tco.length,
      url: tco,
      expanded_url: media.expandedUrl,
      display_url: `pic.x.com/${code}`,
      media_key: media.mediaKey,
    });
  }
  return { text, urls };
}

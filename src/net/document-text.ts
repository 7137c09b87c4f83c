import { CP1252_80_9F } from '../format/codepages.js';

/** What kind of document the bytes are: where it may declare its own encoding differs. */
export type DocumentKind = 'xml' | 'html';

const SNIFF_BYTES = 1_024;

/** A WHATWG encoding name for `label`, or undefined when the label is unknown. */
function encodingOf(label: string): string | undefined {
  try {
    return new TextDecoder(label.trim()).encoding;
  } catch {
    return undefined;
  }
}

function fromBom(bytes: Uint8Array): string | undefined {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return 'utf-8';
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf-16le';
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf-16be';
  return undefined;
}

function fromContentType(contentType: string | undefined): string | undefined {
  const label = /;\s*charset\s*=\s*["']?([^"';\s]+)/i.exec(contentType ?? '')?.[1];
  return label === undefined ? undefined : encodingOf(label);
}

function fromDocument(bytes: Uint8Array, kind: DocumentKind): string | undefined {
  // Declarations are ASCII in every encoding a declaration can be read in: latin1 reads them byte for byte.
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, SNIFF_BYTES)).toString(
    'latin1',
  );
  const label =
    kind === 'xml'
      ? /^\s*<\?xml[^>]*?\sencoding\s*=\s*["']([A-Za-z0-9._:-]+)["']/.exec(head)?.[1]
      : /<meta\b[^>]*?charset\s*=\s*["']?([A-Za-z0-9._:-]+)/i.exec(head)?.[1];
  const encoding = label === undefined ? undefined : encodingOf(label);
  // A document read as ASCII cannot really be UTF-16; browsers take such a declaration as UTF-8.
  return encoding?.startsWith('utf-16') ? 'utf-8' : encoding;
}

/**
 * The text of a fetched feed or page, decoded the way browsers and feed readers do, so a Windows-1252
 * or ISO-8859-1 regulator's site does not turn "€" and "é" into mojibake: a byte-order mark first, then the
 * `charset` of the Content-Type, then the document's own declaration (`<?xml encoding>` or
 * `<meta charset>`), else UTF-8. Unknown labels are ignored; bytes invalid in the chosen encoding become
 * U+FFFD rather than failing the item. (As in browsers, ISO-8859-1 is read as its superset Windows-1252.)
 */
export function decodeDocument(
  bytes: Uint8Array,
  contentType: string | undefined,
  kind: DocumentKind,
): string {
  const encoding = fromBom(bytes) ?? fromContentType(contentType) ?? fromDocument(bytes, kind) ?? 'utf-8';
  if (encoding === 'windows-1252') return decodeWindows1252(bytes);
  return new TextDecoder(encoding).decode(bytes);
}

// Node 20's TextDecoder reads windows-1252 (and so latin1 and us-ascii, which WHATWG maps to it) as
// ISO-8859-1: bytes 0x80–0x9F come out as C1 controls instead of € ‚ „ … ‘ ’ “ ” – —.
function decodeWindows1252(bytes: Uint8Array): string {
  const latin1 = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  return latin1.replace(/[\u0080-\u009f]/g, (c) => {
    const mapped = CP1252_80_9F.charAt(c.charCodeAt(0) - 0x80);
    // The five bytes windows-1252 leaves undefined stay what WHATWG decodes them to: their C1 control.
    return mapped === '\uFFFD' ? c : mapped;
  });
}

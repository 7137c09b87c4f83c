/**
 * Single-byte code pages that UTF-8 text is most often mis-decoded with, as data: for each code page the
 * characters of bytes 0x80–0xFF in order, U+FFFD where the byte is undefined. Bytes 0x00–0x7F are ASCII in
 * all of them. Latin-1 is implicit: byte b is U+00b (0x80–0x9F are the C1 controls).
 */

/** Windows-1252 (Western), bytes 0x80–0x9F; 0xA0–0xFF are identical to Latin-1. */
export const CP1252_80_9F =
  '\u20AC\uFFFD\u201A\u0192\u201E\u2026\u2020\u2021\u02C6\u2030\u0160\u2039\u0152\uFFFD\u017D\uFFFD' +
  '\uFFFD\u2018\u2019\u201C\u201D\u2022\u2013\u2014\u02DC\u2122\u0161\u203A\u0153\uFFFD\u017E\u0178';

/** Windows-1253 (Greek), bytes 0x80–0xFF. */
const CP1253_80_FF =
  '\u20AC\uFFFD\u201A\u0192\u201E\u2026\u2020\u2021\uFFFD\u2030\uFFFD\u2039\uFFFD\uFFFD\uFFFD\uFFFD' +
  '\uFFFD\u2018\u2019\u201C\u201D\u2022\u2013\u2014\uFFFD\u2122\uFFFD\u203A\uFFFD\uFFFD\uFFFD\uFFFD' +
  '\u00A0\u0385\u0386\u00A3\u00A4\u00A5\u00A6\u00A7\u00A8\u00A9\u00AA\u00AB\u00AC\u00AD\u00AE\u2015' +
  '\u00B0\u00B1\u00B2\u00B3\u0384\u00B5\u00B6\u00B7\u0388\u0389\u038A\u00BB\u038C\u00BD\u038E\u038F' +
  '\u0390\u0391\u0392\u0393\u0394\u0395\u0396\u0397\u0398\u0399\u039A\u039B\u039C\u039D\u039E\u039F' +
  '\u03A0\u03A1\uFFFD\u03A3\u03A4\u03A5\u03A6\u03A7\u03A8\u03A9\u03AA\u03AB\u03AC\u03AD\u03AE\u03AF' +
  '\u03B0\u03B1\u03B2\u03B3\u03B4\u03B5\u03B6\u03B7\u03B8\u03B9\u03BA\u03BB\u03BC\u03BD\u03BE\u03BF' +
  '\u03C0\u03C1\u03C2\u03C3\u03C4\u03C5\u03C6\u03C7\u03C8\u03C9\u03CA\u03CB\u03CC\u03CD\u03CE\uFFFD';

function buildByteTable(): ReadonlyMap<string, number> {
  const table = new Map<string, number>();
  const add = (char: string, byte: number): void => {
    if (char === '\uFFFD') return;
    const known = table.get(char);
    // The code pages agree wherever they share a character; a clash would make decoding ambiguous.
    if (known !== undefined && known !== byte)
      throw new Error(`code page clash for U+${char.codePointAt(0)}`);
    table.set(char, byte);
  };
  for (let b = 0x80; b <= 0xff; b++) add(String.fromCharCode(b), b);
  for (let i = 0; i < CP1252_80_9F.length; i++) add(CP1252_80_9F.charAt(i), 0x80 + i);
  for (let i = 0; i < CP1253_80_FF.length; i++) add(CP1253_80_FF.charAt(i), 0x80 + i);
  return table;
}

/**
 * Which byte (0x80–0xFF) a character stands for when UTF-8 bytes were decoded as Windows-1252,
 * Windows-1253 or Latin-1. The union of the three: real mojibake often mixes them (a Greek decoder that
 * fell back to Windows-1252 for its undefined bytes produces `β€˜` for `‘`).
 */
export const HIGH_BYTE_OF_CHAR: ReadonlyMap<string, number> = buildByteTable();

/** A single-byte code page: the characters its bytes 0x80–0xFF decode to, and back. */
export interface CodePage {
  /** The WHATWG encoding name (`windows-1251`), or `cp437`. */
  readonly name: string;
  /** Which byte (0x80–0xFF) each character of the code page stands for. */
  readonly byteOf: ReadonlyMap<string, number>;
}

/**
 * Every single-byte encoding of the WHATWG Encoding Standard, which is what `TextDecoder` implements;
 * those this Node build cannot decode are left out of {@link CODE_PAGES}. `windows-1252` also stands for
 * the labels `latin1`, `iso-8859-1` and `ascii`.
 */
export const SINGLE_BYTE_ENCODINGS: readonly string[] = [
  // The most common first: when two code pages read a stretch equally well, the earlier one wins.
  'windows-1252',
  'windows-1250',
  'windows-1251',
  'windows-1253',
  'windows-1254',
  'windows-1255',
  'windows-1256',
  'windows-1257',
  'windows-1258',
  'windows-874',
  'ibm866',
  'koi8-r',
  'koi8-u',
  'macintosh',
  'x-mac-cyrillic',
  'iso-8859-2',
  'iso-8859-3',
  'iso-8859-4',
  'iso-8859-5',
  'iso-8859-6',
  'iso-8859-7',
  'iso-8859-8',
  'iso-8859-8-i',
  'iso-8859-10',
  'iso-8859-13',
  'iso-8859-14',
  'iso-8859-15',
  'iso-8859-16',
];

/** IBM code page 437 (the DOS console), bytes 0x80–0xFF: not in the Encoding Standard, so kept as data. */
export const CP437_80_FF =
  'ÇüéâäàåçêëèïîìÄÅÉæÆôöòûùÿÖÜ¢£¥₧ƒáíóúñÑªº¿⌐¬½¼¡«»░▒▓│┤╡╢╖╕╣║╗╝╜╛┐' +
  '└┴┬├─┼╞╟╚╔╩╦╠═╬╧╨╤╥╙╘╒╓╫╪┘┌█▄▌▐▀αßΓπΣσµτΦΘΩδ∞φε∩≡±≥≤⌠⌡÷≈°∙·√ⁿ²■\u00A0';

function codePage(name: string, highChars: string): CodePage {
  const byteOf = new Map<string, number>();
  let byte = 0x80;
  for (const char of highChars) {
    if (char !== '\uFFFD' && !byteOf.has(char)) byteOf.set(char, byte);
    byte++;
  }
  return { name, byteOf };
}

function decodableCodePages(): CodePage[] {
  const high = Uint8Array.from({ length: 128 }, (_, i) => 0x80 + i);
  const pages: CodePage[] = [];
  for (const name of SINGLE_BYTE_ENCODINGS) {
    let chars: string;
    try {
      chars = new TextDecoder(name).decode(high);
    } catch {
      continue; // not in this Node build (iso-8859-16 is missing from Node 20's ICU)
    }
    pages.push(codePage(name, chars));
    if (name === 'windows-1252') {
      // True ISO-8859-1: bytes 0x80–0x9F as the C1 controls (what Node's 'latin1' Buffer decoding gives).
      pages.push(codePage('iso-8859-1', Array.from(high, (b) => String.fromCharCode(b)).join('')));
    }
    if (name === 'windows-874') pages.push(codePage('cp437', CP437_80_FF));
  }
  return pages;
}

/** Every single-byte code page UTF-8 may have been misread through: those Node decodes, and cp437. */
export const CODE_PAGES: readonly CodePage[] = decodableCodePages();

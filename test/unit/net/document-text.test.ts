import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CP1252_80_9F } from '../../../src/format/codepages.js';
import { decodeDocument } from '../../../src/net/document-text.js';

/** Windows-1252 bytes for `text` (every character must have one). */
function encode1252(text: string): Buffer {
  return Buffer.from(
    [...text].map((c) => {
      const code = c.charCodeAt(0);
      if (code < 0x80 || (code >= 0xa0 && code <= 0xff)) return code;
      const high = CP1252_80_9F.indexOf(c);
      if (high < 0 || c === '\uFFFD') throw new RangeError(`${c} has no Windows-1252 byte`);
      return 0x80 + high;
    }),
  );
}

const xml = (encoding: string, body: string) =>
  `<?xml version="1.0" encoding="${encoding}"?><rss>${body}</rss>`;

describe('decodeDocument', () => {
  it('reads UTF-8 when nothing says otherwise', () => {
    expect(decodeDocument(Buffer.from('<p>MiCA — “€2m” 🚀</p>'), undefined, 'html')).toBe(
      '<p>MiCA — “€2m” 🚀</p>',
    );
  });

  it('reads Windows-1252 with the punctuation and euro sign of bytes 0x80–0x9F (Node 20’s decoder gets them wrong)', () => {
    const text = 'L’Autorité inflige 2 M€ — «\u00a0amende\u00a0» – “MiCA” … ‰ Œuvre š';
    expect(decodeDocument(encode1252(xml('windows-1252', text)), 'application/rss+xml', 'xml')).toBe(
      xml('windows-1252', text),
    );
    // ISO-8859-1 and us-ascii labels mean Windows-1252 on the web, as in browsers.
    for (const label of ['iso-8859-1', 'ISO_8859-1', 'latin1', 'us-ascii']) {
      expect(decodeDocument(encode1252('€’é'), `text/html; charset=${label}`, 'html')).toBe('€’é');
    }
    // The five undefined bytes decode to their C1 control, as WHATWG says.
    expect(decodeDocument(Buffer.from([0x81, 0x8d]), 'text/html; charset=windows-1252', 'html')).toBe(
      '\u0081\u008d',
    );
  });

  it('round-trips any Windows-1252 text', () => {
    const chars = [...Array.from({ length: 0x60 }, (_, i) => String.fromCharCode(0x20 + i))]
      .concat([...CP1252_80_9F].filter((c) => c !== '\uFFFD'))
      .concat(Array.from({ length: 0x60 }, (_, i) => String.fromCharCode(0xa0 + i)));
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...chars), { maxLength: 200 }), (list) => {
        const text = list.join('');
        // Text whose bytes open with a byte-order mark (þÿ, ÿþ, ï»¿ in Windows-1252) is read by the mark,
        // as WHATWG says and browsers do: the next test pins that.
        fc.pre(!/^(?:þÿ|ÿþ|ï»¿)/.test(text));
        expect(decodeDocument(encode1252(text), 'text/plain; charset=windows-1252', 'html')).toBe(text);
      }),
    );
  });

  it('takes the byte-order mark first, then the Content-Type charset, then the document’s declaration', () => {
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('<p>Ré</p>', 'utf16le')]);
    expect(decodeDocument(utf16, 'text/html; charset=windows-1252', 'html')).toBe('<p>Ré</p>');
    const utf8Bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('é')]);
    expect(decodeDocument(utf8Bom, 'text/html; charset=windows-1252', 'html')).toBe('é');
    // The header wins over the XML declaration…
    expect(
      decodeDocument(Buffer.from(xml('windows-1252', 'é')), 'application/rss+xml; charset="utf-8"', 'xml'),
    ).toBe(xml('windows-1252', 'é'));
    // …which is used when the header says nothing.
    expect(decodeDocument(encode1252(xml('ISO-8859-1', 'é')), 'application/rss+xml', 'xml')).toBe(
      xml('ISO-8859-1', 'é'),
    );
  });

  it('finds <meta charset> and <meta http-equiv> in an HTML page', () => {
    const meta = '<html><head><meta charset="windows-1251"><title>Центробанк</title>';
    expect(decodeDocument(new Uint8Array(cp1251(meta)), 'text/html', 'html')).toBe(meta);
    const equiv =
      '<head><meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1"><title>Décision</title>';
    expect(decodeDocument(encode1252(equiv), undefined, 'html')).toBe(equiv);
  });

  it('ignores unknown labels, and a page that claims UTF-16 while readable as ASCII', () => {
    expect(decodeDocument(Buffer.from('é'), 'text/html; charset=klingon', 'html')).toBe('é');
    const claim = '<meta charset="utf-16"><p>é</p>';
    expect(decodeDocument(Buffer.from(claim), undefined, 'html')).toBe(claim);
  });
});

/** Windows-1251 bytes for ASCII and the Russian alphabet (А–я are 0xC0–0xFF). */
function cp1251(text: string): number[] {
  return [...text].map((c) => {
    const code = c.charCodeAt(0);
    if (code < 0x80) return code;
    if (code >= 0x410 && code <= 0x44f) return code - 0x410 + 0xc0;
    throw new RangeError(c);
  });
}

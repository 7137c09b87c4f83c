/**
 * The character a numeric reference stands for (`#8217` or `#x2019`, the part between `&` and `;`), or
 * undefined when it names no Unicode scalar value (zero, a surrogate, beyond U+10FFFF). Callers decide
 * what an invalid reference becomes.
 */
export function decodeNumericReference(ref: string): string | undefined {
  const code = ref[1] === 'x' || ref[1] === 'X' ? Number.parseInt(ref.slice(2), 16) : Number(ref.slice(1));
  if (!Number.isFinite(code) || code <= 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) {
    return undefined;
  }
  return String.fromCodePoint(code);
}

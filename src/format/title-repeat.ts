/**
 * Drops the title when the body starts by repeating it: as its whole first paragraph, or as the first
 * line of it. Compared loosely (case, punctuation and spacing ignored). Returns how many repeats went.
 */
export function dropRepeatedTitle(title: string, body: string): { body: string; dropped: number } {
  const key = looseKey(title);
  if (key === '') return { body, dropped: 0 };
  let rest = body;
  let dropped = 0;
  for (;;) {
    const lineEnd = rest.indexOf('\n');
    const firstLine = lineEnd === -1 ? rest : rest.slice(0, lineEnd);
    if (looseKey(firstLine) !== key) break;
    rest = lineEnd === -1 ? '' : rest.slice(lineEnd + 1).replace(/^\n+/, '');
    dropped++;
  }
  return { body: rest, dropped };
}

function looseKey(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '');
}

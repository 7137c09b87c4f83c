import type { MessageEntity } from '../domain/rendered.js';

/** A readable word diff as a Telegram message: text plus the entities that mark what changed. */
export interface WordDiff {
  readonly text: string;
  readonly entities: readonly MessageEntity[];
  /** Words removed and added (0 and 0 when the texts are the same). */
  readonly removed: number;
  readonly added: number;
  /** Whether the diff was cut to fit `maxLength` (the end is then marked with "…"). */
  readonly truncated: boolean;
}

type Op = { readonly kind: 'same' | 'removed' | 'added'; readonly token: string };

// Words with the whitespace before them: the diff keeps line breaks where they were.
const tokens = (text: string): string[] => text.match(/\s*\S+/g) ?? [];

// Above this many cells the longest common subsequence would cost too much: the whole text is marked.
const MAX_CELLS = 4_000_000;

function diffOps(before: readonly string[], after: readonly string[]): Op[] {
  const n = before.length;
  const m = after.length;
  if (n * m > MAX_CELLS) {
    return [
      ...before.map((token): Op => ({ kind: 'removed', token })),
      ...after.map((token): Op => ({ kind: 'added', token })),
    ];
  }
  const word = (t: string) => t.trim();
  // lcs[i * (m + 1) + j]: length of the longest common subsequence of before[i..] and after[j..].
  const lcs = new Uint32Array((n + 1) * (m + 1));
  const at = (i: number, j: number) => lcs[i * (m + 1) + j] ?? 0;
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i * (m + 1) + j] =
        word(before[i] ?? '') === word(after[j] ?? '')
          ? at(i + 1, j + 1) + 1
          : Math.max(at(i + 1, j), at(i, j + 1));
    }
  }
  const ops: Op[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    const b = before[i];
    const a = after[j];
    if (b !== undefined && a !== undefined && word(b) === word(a)) {
      ops.push({ kind: 'same', token: a });
      i++;
      j++;
    } else if (b !== undefined && (a === undefined || at(i + 1, j) >= at(i, j + 1))) {
      ops.push({ kind: 'removed', token: b });
      i++;
    } else if (a !== undefined) {
      ops.push({ kind: 'added', token: a });
      j++;
    }
  }
  return ops;
}

/**
 * The words of `after` against `before`, as one message: removed words struck through, added words
 * underlined and bold, the rest as it reads. Cut to `maxLength` UTF-16 code units (Telegram's 4096 for a
 * message) with "…" at the end when it is longer; an entity never runs past the cut.
 */
export function wordDiff(before: string, after: string, maxLength: number): WordDiff {
  const ops = diffOps(tokens(before), tokens(after));
  let text = '';
  const entities: MessageEntity[] = [];
  let removed = 0;
  let added = 0;
  let truncated = false;
  const limit = Math.max(1, maxLength) - 1;
  for (const op of ops) {
    if (op.kind === 'removed') removed++;
    if (op.kind === 'added') added++;
    if (truncated) continue;
    const lead = op.token.length - op.token.trimStart().length;
    const space = op.token.slice(0, lead);
    const word = op.token.slice(lead);
    if (text.length + op.token.length > limit) {
      truncated = true;
      continue;
    }
    text += space;
    if (op.kind !== 'same') {
      const types = op.kind === 'removed' ? ['strikethrough'] : ['bold', 'underline'];
      for (const type of types) {
        const index = entities.findLastIndex((e) => e.type === type);
        const last = entities[index];
        // Neighbouring changed words on one line read as one change: the entity spans the space.
        const joins =
          last !== undefined &&
          last.offset + last.length + space.length === text.length &&
          !space.includes('\n');
        if (joins) entities[index] = { ...last, length: last.length + space.length + word.length };
        else entities.push({ type, offset: text.length, length: word.length });
      }
    }
    text += word;
  }
  if (truncated) text += '…';
  return { text, entities: mergeOrder(entities), removed, added, truncated };
}

// Entities sorted by offset (bold and underline of one word share it; the order between them is free).
const mergeOrder = (entities: MessageEntity[]): MessageEntity[] =>
  [...entities].sort((x, y) => x.offset - y.offset);

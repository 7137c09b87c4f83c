import { splitGraphemes, splitSentences, splitWords } from './sentences.js';

/** How {@link pack} measures and bounds its chunks. */
export interface PackOptions {
  /** The length of a text in the platform's units (UTF-16 units for Telegram, weighted length for X). */
  readonly measure: (text: string) => number;
  /** Room in the chunk with this 0-based index, in the same units. */
  readonly capacityAt: (index: number) => number;
  /** Stop after this many chunks. */
  readonly maxChunks: number;
  /**
   * Whether a word longer than a whole chunk may be split between graphemes (default true). When false,
   * packing stops there instead, incomplete.
   */
  readonly breakLongWords?: boolean;
  /**
   * Whether a sentence longer than a whole chunk is split into parts of similar size (default false), so a
   * thread has no post holding just the sentence's last two words. Off, chunks are filled to the brim.
   */
  readonly balanceLongSentences?: boolean;
  /**
   * How full (0–1 of its capacity) a chunk must be before a paragraph that does not fit in it starts the
   * next chunk. Below that, the paragraph's sentences fill this chunk first and the paragraph continues in
   * the next. Default 0: a paragraph that fits a chunk of its own always starts one.
   */
  readonly paragraphBreakFill?: number;
  /**
   * The same for sentences (default 0: a sentence that fits a chunk of its own is never split): below this
   * fill, a sentence that does not fit in the current chunk is split between words to fill it.
   */
  readonly sentenceBreakFill?: number;
}

/** The chunks, and whether all the text went into them. */
export interface PackResult {
  readonly chunks: string[];
  readonly complete: boolean;
}

enum Level {
  Paragraph = 0,
  Sentence = 1,
  Word = 2,
  Grapheme = 3,
}

const PARAGRAPH_SEP = '\n\n';
// Room a balanced part may take beyond its even share: words do not divide evenly.
const BALANCE_SLACK = 12;

/**
 * Packs blocks of paragraphs into chunks of bounded size, the way an editor would split a story into a
 * thread: each block starts a new chunk, whole paragraphs go together while they fit, a paragraph that
 * fits no chunk is split into sentences, a sentence that fits no chunk into words, and only a word longer
 * than a whole chunk into graphemes.
 *
 * Cost is linear in the text: every unit is measured once, and only units too big for a chunk are split
 * and measured again one level down (at most four measurements per character).
 * Separators (spaces, line breaks) are assumed to weigh one unit per character.
 */
export function pack(blocks: readonly (readonly string[])[], options: PackOptions): PackResult {
  const { measure, capacityAt, maxChunks } = options;
  const breakLongWords = options.breakLongWords ?? true;
  const balance = options.balanceLongSentences ?? false;
  const paragraphFill = options.paragraphBreakFill ?? 0;
  const sentenceFill = options.sentenceBreakFill ?? 0;
  let softLimit = Number.POSITIVE_INFINITY;
  const capacity = (index: number): number => Math.min(capacityAt(index), softLimit);
  const chunks: string[] = [];
  let current = '';
  let currentWeight = 0;
  let stopped = false;

  const flush = (): void => {
    if (current !== '') chunks.push(current);
    current = '';
    currentWeight = 0;
  };
  const append = (text: string, weight: number, sep: string): void => {
    if (current === '') {
      if (chunks.length >= maxChunks) {
        stopped = true;
        return;
      }
      current = text;
      currentWeight = weight;
    } else {
      current += sep + text;
      currentWeight += sep.length + weight;
    }
  };

  const place = (text: string, sep: string, level: Level): void => {
    if (stopped) return;
    const weight = measure(text);
    if (current !== '' && currentWeight + sep.length + weight <= capacity(chunks.length)) {
      append(text, weight, sep);
      return;
    }
    const nextCapacity = capacity(current === '' ? chunks.length : chunks.length + 1);
    // A paragraph break is worth a fresh chunk only when this one is already well used; otherwise the
    // paragraph's first sentences fill it.
    const fill = level === Level.Paragraph ? paragraphFill : level === Level.Sentence ? sentenceFill : 0;
    const fillFirst = current !== '' && currentWeight < fill * capacity(chunks.length);
    const fitsNext = weight <= nextCapacity;
    if ((fitsNext && !fillFirst) || level === Level.Grapheme) {
      flush();
      append(text, weight, sep);
      return;
    }
    if (level === Level.Word && !breakLongWords) {
      stopped = true;
      return;
    }
    // Too big for any chunk: split one level down. A paragraph starts on a fresh chunk; smaller units
    // fill the current one.
    if (level === Level.Paragraph && !fillFirst) flush();
    if (level === Level.Sentence && balance && !fitsNext) {
      flush();
      const room = capacityAt(chunks.length);
      const parts = Math.ceil(weight / room);
      softLimit = Math.min(room, Math.ceil(weight / parts) + BALANCE_SLACK);
    }
    const children =
      level === Level.Paragraph
        ? splitSentences(text)
        : level === Level.Sentence
          ? splitWords(text)
          : splitGraphemes(text);
    if (children.length <= 1 && level !== Level.Word) {
      // Nothing to split at this level (one sentence, one word): go straight to the next.
      place(text, sep, level + 1);
      return;
    }
    for (let c = 0; c < children.length && !stopped; c++) {
      const child = children[c]!;
      place(child.text, c === 0 ? sep : child.sep, level + 1);
    }
    if (level === Level.Sentence) softLimit = Number.POSITIVE_INFINITY;
  };

  for (const block of blocks) {
    flush();
    for (let p = 0; p < block.length && !stopped; p++) {
      place(block[p]!, p === 0 ? '' : PARAGRAPH_SEP, Level.Paragraph);
    }
    if (stopped) break;
  }
  flush();
  return { chunks, complete: !stopped };
}

/**
 * Text units the splitters pack: paragraphs, sentences, words, graphemes. A unit is a {@link Piece}: its
 * text, and the separator that stood before it in the source (a space, a line break, or nothing between CJK
 * sentences), so joining pieces back with their separators restores the text.
 */
export interface Piece {
  readonly text: string;
  /** What goes between this piece and the one before it, when both are in the same post. */
  readonly sep: string;
}

const sentenceSegmenter = new Intl.Segmenter(undefined, { granularity: 'sentence' });
const wordSegmenter = new Intl.Segmenter(undefined, { granularity: 'word' });
const graphemeSegmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

const CJK_CHAR =
  /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\u3000-\u303F\uFF00-\uFFEF]/u;
// A break with no space after it is a real sentence end only after CJK sentence punctuation (or ASCII !?
// right after a CJK character), with any closing quotes: "a?b" in a URL is not one.
const CJK_SENTENCE_END =
  /(?:[。！？｡．]|[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}][!?…])[」』）】〉》"”’]*$/u;
// Intl.Segmenter ends a sentence after "U.S." or "Mr." when a capital follows ("The U.S. Securities and
// Exchange Commission"); a sentence may end with one too, but keeping the two together costs only a
// coarser split, while cutting there leaves a fragment ("The U.S.") alone in a post.
const ABBREVIATION_END =
  /(?:^|[\s(“"‘'])(?:\p{Lu}\.){2,}\s+$|(?:^|[\s(“"‘'])(?:Mr|Mrs|Ms|Dr|Prof|Sen|Rep|Gov|Gen|Lt|Col|St|Mt|Inc|Corp|Ltd|Co|No|vs|etc|e\.g|i\.e|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\.\s+$/u;
// Punctuation that must stay with the word before it.
const CLOSING = /^[。、，！？；：」』）】〉》,.!?;:)\]}”’…·%]/u;
// Signs that must stay with the word after them (#tag, @name, $TAG).
const OPENING = /[#@$＃＠＄([{「『（【〈《“‘]$/u;

/** Paragraphs of a body: separated by blank lines, trimmed, empty ones dropped. */
export function splitParagraphs(body: string): string[] {
  return body
    .split(/\n[ \t]*\n/)
    .map((p) => p.trim())
    .filter((p) => p !== '');
}

/**
 * Sentences of a paragraph (Intl.Segmenter), each line of a list being its own sentence. A boundary is only
 * taken at whitespace, or with no space after CJK sentence punctuation (。！？): so never inside a URL,
 * @mention, #hashtag, $cashtag or a number like $1.2bn, which contain no whitespace.
 */
export function splitSentences(paragraph: string): Piece[] {
  const pieces: Piece[] = [];
  const lines = paragraph.split('\n');
  for (let l = 0; l < lines.length; l++) {
    const line = lines[l]!.trim();
    if (line === '') continue;
    const firstSep = pieces.length === 0 ? '' : '\n';
    let pending = '';
    let pendingSep = firstSep;
    for (const { segment } of sentenceSegmenter.segment(line)) {
      pending += segment;
      const acceptable =
        (/\s$/u.test(segment) && !ABBREVIATION_END.test(segment)) || CJK_SENTENCE_END.test(segment);
      if (!acceptable) continue;
      const text = pending.trim();
      if (text !== '') {
        pieces.push({ text, sep: pendingSep });
        pendingSep = /\s$/u.test(pending) ? ' ' : '';
      }
      pending = '';
    }
    const rest = pending.trim();
    if (rest !== '') pieces.push({ text: rest, sep: pendingSep });
  }
  return pieces;
}

// A number, possibly with a currency sign, that reads badly when its unit goes to the next post.
const AMOUNT = /^[$€£¥₹]?[\d][\d.,]*$/u;
const UNIT =
  /^(bn|m|k|mn|million|millions|billion|billions|trillion|trillions|thousand|percent|per|%|BTC|ETH|USD|USDT|USDC|EUR|dollars|euros)[.,;:!?)]*$/iu;

/**
 * Words of a sentence: whitespace-separated tokens, a number glued to its unit (`$1.2 billion`), and
 * tokens of CJK text (which has no spaces) split where Intl.Segmenter finds words, but only next to a CJK
 * character, so never inside a URL or Latin word embedded in CJK text.
 */
export function splitWords(sentence: string): Piece[] {
  const pieces: Piece[] = [];
  const tokens = sentence.split(/\s+/u).filter((t) => t !== '');
  for (let t = 0; t < tokens.length; t++) {
    let token = tokens[t]!;
    const next = tokens[t + 1];
    if (next !== undefined && AMOUNT.test(token) && UNIT.test(next)) {
      token = `${token} ${next}`;
      t++;
    }
    const sep = pieces.length === 0 ? '' : ' ';
    if (CJK_CHAR.test(token)) {
      splitCjkToken(token, sep, pieces);
    } else {
      pieces.push({ text: token, sep });
    }
  }
  return pieces;
}

function splitCjkToken(token: string, sep: string, into: Piece[]): void {
  let current = '';
  let currentSep = sep;
  for (const { segment } of wordSegmenter.segment(token)) {
    const breakable =
      current !== '' &&
      (CJK_CHAR.test(lastChar(current)) || CJK_CHAR.test(segment.charAt(0))) &&
      !CLOSING.test(segment) &&
      !OPENING.test(current);
    if (breakable) {
      into.push({ text: current, sep: currentSep });
      current = '';
      currentSep = '';
    }
    current += segment;
  }
  if (current !== '') into.push({ text: current, sep: currentSep });
}

function lastChar(s: string): string {
  const cp = s.codePointAt(s.length - 1);
  if (cp !== undefined && cp >= 0xdc00 && cp <= 0xdfff && s.length >= 2) return s.slice(-2);
  return s.slice(-1);
}

/** Grapheme clusters of a word: the last resort for a word longer than a whole post. */
export function splitGraphemes(word: string): Piece[] {
  const pieces: Piece[] = [];
  for (const { segment } of graphemeSegmenter.segment(word)) pieces.push({ text: segment, sep: '' });
  return pieces;
}

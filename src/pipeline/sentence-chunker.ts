/**
 * Turns streaming LLM text into chunks to speak, each emitted the moment it is complete, so the
 * first sentence is synthesised while the model is still writing the second.
 *
 * Sentence boundaries come from ICU (Intl.Segmenter), corrected where ICU is wrong for speech: no
 * break after an abbreviation ("Dr. Smith", "e.g. X") or inside a token with no space ("a.b?c=1"
 * in a URL). A boundary is final only once text with a letter follows it, because ICU decides
 * some boundaries by the first letter after them; so the chunks are the same however the text is
 * split into deltas. Markdown is for the eyes: emphasis and heading marks are dropped, list items
 * are spoken one by one, and a code block is shown but spoken as a short reference.
 */

export interface SpokenChunk {
  /** What to synthesise. */
  text: string;
  /** The source text of the chunk, for the transcript (Markdown included). */
  shown: string;
  kind: 'sentence' | 'list-item' | 'heading' | 'code';
}

export interface ChunkerOptions {
  /** Sentences longer than this are split at clause boundaries. */
  maxChars?: number;
  locale?: string;
}

const DEFAULT_MAX_CHARS = 220;
/** What a code block sounds like: the transcript shows it, nobody wants it read out. */
export const CODE_BLOCK_SPOKEN = "I've put a code snippet on screen.";

const ABBREVIATIONS = new Set([
  'e.g.',
  'i.e.',
  'vs.',
  'etc.',
  'dr.',
  'mr.',
  'mrs.',
  'ms.',
  'prof.',
  'st.',
  'fig.',
  'approx.',
  'no.',
  'cf.',
  'al.',
  'resp.',
  'jr.',
  'sr.',
]);

const LETTER = /\p{L}/u;

function endsWithAbbreviation(segment: string): boolean {
  const word = segment.trimEnd().split(/\s+/).pop()?.toLowerCase() ?? '';
  return ABBREVIATIONS.has(word.replace(/^[("'[]+/, ''));
}

/** Where a sentence that starts at `index` really starts: its opening emphasis marks ("**Nice")
 *  belong to it, not to the end of the sentence before. */
function openingMarksStart(text: string, index: number): number {
  let i = index;
  while (i > 0 && /[*_~]/.test(text[i - 1]!)) i--;
  return i === index || i === 0 || /\s/.test(text[i - 1]!) ? i : index;
}

/** Markdown inline marks removed, for the voice; code spans read as their content when short. */
export function speakable(markdown: string): string {
  return markdown
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/`([^`]+)`/g, (_, code: string) => (code.length <= 24 && !/[{};=<>]/.test(code) ? code : 'that expression'))
    .replace(/(\*\*|__)(?=\S)([\s\S]*?\S)\1/g, '$2')
    .replace(/(^|[^\w*])\*(?=\S)([^*]*?\S)\*(?=[^\w*]|$)/g, '$1$2')
    .replace(/(^|[^\w])_(?=\S)([^_]*?\S)_(?=[^\w]|$)/g, '$1$2')
    .replace(/~~(\S[\s\S]*?)~~/g, '$1')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Splits an over-long sentence at clause boundaries (; : , and dashes) into pieces <= max. */
export function splitLongSentence(sentence: string, maxChars: number): string[] {
  const pieces: string[] = [];
  let rest = sentence;
  while (rest.length > maxChars) {
    const window = rest.slice(0, maxChars);
    let cut = -1;
    for (const pattern of [/[;:]\s/g, /,\s/g, /\s[-–—]\s/g, /\s(?:and|but|or|so|because|which|then)\s/g]) {
      for (const m of window.matchAll(pattern)) if (m.index! > maxChars / 4) cut = m.index! + (m[0].startsWith(' ') ? 0 : 1);
      if (cut > 0) break;
    }
    if (cut <= 0) cut = window.lastIndexOf(' ');
    if (cut <= 0) break;
    pieces.push(rest.slice(0, cut).trim());
    rest = rest.slice(cut).trimStart();
  }
  if (rest.trim()) pieces.push(rest.trim());
  return pieces;
}

type LineKind = 'fence' | 'list-item' | 'heading' | 'blank' | 'text';

function classify(line: string): LineKind {
  if (/^\s*(```|~~~)/.test(line)) return 'fence';
  if (/^\s*([-*+]|\d+[.)])\s+/.test(line)) return 'list-item';
  if (/^\s{0,3}#{1,6}\s/.test(line)) return 'heading';
  if (line.trim() === '') return 'blank';
  return 'text';
}

/** Enough of a line to tell what it is ("1. x" vs "1 is"), or the whole line. */
function decidable(partial: string): boolean {
  const t = partial.trimStart();
  return t.length >= 4 || /\S\s/.test(t);
}

export class SentenceChunker {
  private readonly maxChars: number;
  private readonly segmenter: Intl.Segmenter;
  /** Text not yet assigned to a chunk. */
  private buffer = '';
  /** The paragraph being read: complete lines of running text, joined. */
  private paragraph = '';
  private code: string[] | null = null;
  /** The current line's kind, once enough of it is seen; text lines stream into the paragraph. */
  private lineKind: LineKind | null = null;
  private readonly out: SpokenChunk[] = [];

  constructor(options: ChunkerOptions = {}) {
    this.maxChars = options.maxChars ?? DEFAULT_MAX_CHARS;
    this.segmenter = new Intl.Segmenter(options.locale ?? 'en', { granularity: 'sentence' });
  }

  /** Feeds a delta; returns the chunks it completed. */
  push(delta: string): SpokenChunk[] {
    this.buffer += delta;
    this.drainLines(false);
    return this.out.splice(0);
  }

  /** The stream ended: everything left becomes chunks. */
  end(): SpokenChunk[] {
    this.drainLines(true);
    if (this.code) this.emitCode();
    this.flushParagraph(true);
    return this.out.splice(0);
  }

  private drainLines(final: boolean): void {
    for (;;) {
      const nl = this.buffer.indexOf('\n');
      if (nl < 0) {
        this.partialLine(final);
        return;
      }
      const line = this.buffer.slice(0, nl);
      this.buffer = this.buffer.slice(nl + 1);
      this.completeLine(line);
    }
  }

  /** A line still being written: running text is segmented as it streams. */
  private partialLine(final: boolean): void {
    if (this.code || this.buffer === '') return;
    if (this.lineKind === null && (final || decidable(this.buffer))) this.lineKind = classify(this.buffer);
    if (final) {
      const line = this.buffer;
      this.buffer = '';
      this.completeLine(line);
      return;
    }
    if (this.lineKind === 'text') {
      this.paragraph = joinText(this.paragraph, this.buffer, true);
      this.buffer = '';
      this.flushParagraph(false);
    }
  }

  private completeLine(line: string): void {
    const kind = this.lineKind ?? classify(line);
    this.lineKind = null;
    if (this.code) {
      if (kind === 'fence') this.emitCode(line);
      else this.code.push(line);
      return;
    }
    if (kind === 'text') {
      this.paragraph = joinText(this.paragraph, line, false);
      this.flushParagraph(false);
      return;
    }
    this.flushParagraph(true);
    if (kind === 'fence') this.code = [line];
    else if (kind === 'list-item') this.emitSentences(line.replace(/^\s*([-*+]|\d+[.)])\s+/, ''), line.trim(), 'list-item');
    else if (kind === 'heading') this.emitSentences(line.replace(/^\s*#+\s+/, ''), line.trim(), 'heading');
  }

  private emitCode(closing?: string): void {
    const lines = [...(this.code ?? []), ...(closing !== undefined ? [closing] : [])];
    this.code = null;
    this.out.push({ text: CODE_BLOCK_SPOKEN, shown: lines.join('\n'), kind: 'code' });
  }

  /** Emits the paragraph's complete sentences; with `all`, the rest too. */
  private flushParagraph(all: boolean): void {
    if (this.paragraph.trim() === '') {
      this.paragraph = all ? '' : this.paragraph;
      return;
    }
    // ICU sees "**Nice.** Now" as one sentence ("*" is not a closing mark), so segment a copy with
    // emphasis marks blanked out (offsets unchanged) and slice the original at its boundaries.
    const masked = this.paragraph.replace(/[*_~]/g, ' ');
    const bounds: number[] = [];
    let maskedPrev = '';
    for (const { segment, index } of this.segmenter.segment(masked)) {
      // Skip ICU's breaks that are wrong for speech: after an abbreviation, or inside a token.
      const breakHere = index > 0 && !endsWithAbbreviation(maskedPrev) && /\s$/.test(maskedPrev);
      if (breakHere) bounds.push(openingMarksStart(this.paragraph, index));
      maskedPrev = breakHere || index === 0 ? segment : maskedPrev + segment;
    }
    const merged = [0, ...bounds].map((start, k) => this.paragraph.slice(start, bounds[k] ?? this.paragraph.length));
    let keep = merged.length;
    if (!all) {
      // The last segment may still grow; the one before it is final only once a letter follows.
      keep = merged.length - 1;
      while (keep > 0 && !LETTER.test(merged.slice(keep).join(''))) keep--;
    }
    for (const sentence of merged.slice(0, keep)) this.emitSentences(sentence, sentence.trim(), 'sentence');
    this.paragraph = merged.slice(keep).join('');
    if (!all && this.paragraph.length > this.maxChars * 1.5) this.splitRunOn();
  }

  /** A sentence that keeps going: speak its first clauses now instead of waiting for the end. */
  private splitRunOn(): void {
    const pieces = splitLongSentence(this.paragraph, this.maxChars);
    if (pieces.length < 3) return;
    // Keep the last two pieces back: the boundary between them may still move as text arrives.
    const done = pieces.slice(0, -2);
    for (const p of done) this.emitSentences(p, p, 'sentence', false);
    const used = done.reduce((n, p) => this.paragraph.indexOf(p, n) + p.length, 0);
    this.paragraph = this.paragraph.slice(used).trimStart();
  }

  private emitSentences(source: string, shown: string, kind: SpokenChunk['kind'], split = true): void {
    const text = speakable(source);
    if (!text) return;
    const parts = split ? splitLongSentence(text, this.maxChars) : [text];
    if (parts.length === 1) {
      this.out.push({ text: parts[0]!, shown, kind });
      return;
    }
    for (const part of parts) this.out.push({ text: part, shown: part, kind });
  }
}

/** A complete line joins the paragraph followed by a space (a soft line break is a space); a
 *  partial line is appended as it is and its newline arrives later. */
function joinText(paragraph: string, line: string, partial: boolean): string {
  return partial ? paragraph + line : `${paragraph}${line} `;
}

/** The chunker over an async stream of deltas; stops quietly when the signal aborts. */
export async function* chunkText(deltas: AsyncIterable<string>, options: ChunkerOptions = {}, signal?: AbortSignal): AsyncGenerator<SpokenChunk> {
  const chunker = new SentenceChunker(options);
  for await (const delta of deltas) {
    if (signal?.aborted) return;
    yield* chunker.push(delta);
  }
  if (signal?.aborted) return;
  yield* chunker.end();
}

import { SAMPLE_RATE } from '../core/pcm.js';
import { Waker } from '../core/async-queue.js';
import type { PcmPlayer } from '../audio/player.js';
import type { SpeechSynthesizer } from '../providers/spec.js';
import { SentenceChunker } from './sentence-chunker.js';

export interface SpokenOutputOptions {
  /** How far ahead of playback the output is fed: all that can still sound after a duck. */
  leadMs?: number;
  /** Chunks synthesised at once: the one playing and the next (ElevenLabs allows 5 contexts a socket,
   * and a cancelled one counts until it is done). */
  synthesesInFlight?: number;
  /** The gain while the candidate may be starting to speak. */
  duckDb?: number;
  now?: () => number;
  /** Each slice written to the output, with when it will be heard: the echo canceller's reference. */
  onPlayed?: (samples: Int16Array, playsAtMs: number) => void;
  /** A turn began to sound, a chunk of it began, or it stopped: for a recording of what was heard. */
  onSpoken?: (event: SpokenEvent) => void;
}

export type SpokenEvent = { type: 'started' } | { type: 'chunk'; text: string } | { type: 'stopped'; reason: 'finished' | 'interrupted' };

/** Where the interviewer was cut off: what the candidate heard and what they did not. */
export interface InterruptedAt {
  spokenText: string;
  unspokenText: string;
}

/** When things happened in one interviewer turn (performance.now() ms). */
export interface SpeechMarks {
  /** The turn began: the caller asks the LLM now. */
  startedAt: number;
  /** The first text arrived: the LLM's first token. */
  firstTextAt?: number;
  firstChunkAt?: number;
  /** The first chunk went to the voice... */
  ttsStartedAt?: number;
  /** ...and its first audio came back. */
  ttsFirstAudioAt?: number;
  /** The first sample was written to the output. */
  firstSampleAt?: number;
  /** When the last sample written will have been heard. */
  playedUntil?: number;
}

export interface SpeechOutcome {
  /** Set when the turn was interrupted. */
  interruptedAt: InterruptedAt | null;
  marks: SpeechMarks;
}

const SLICE_SAMPLES = SAMPLE_RATE / 100;
const msOf = (samples: number) => (samples * 1000) / SAMPLE_RATE;
/** Speech runs about 15 characters a second: the length of a chunk whose audio is still coming. */
const ESTIMATED_MS_PER_CHAR = 65;

/** One chunk of text on its way to the speaker. */
class Chunk {
  readonly pieces: Int16Array[] = [];
  received = 0;
  started = false;
  finished = false;
  failure: Error | null = null;
  /** Slices written, with when each is heard. */
  readonly schedule: { playsAt: number; samples: number }[] = [];
  /** Woken when audio arrives or the chunk ends. */
  readonly arrival = new Waker();

  constructor(readonly text: string) {}

  /** Samples heard by `atMs`. */
  heardBy(atMs: number): number {
    let heard = 0;
    for (const slice of this.schedule) heard += Math.max(0, Math.min(slice.samples, ((atMs - slice.playsAt) * SAMPLE_RATE) / 1000));
    return heard;
  }

  /** The chunk's text split where the audio heard so far ends, to the word (approximately). */
  splitAt(heardSamples: number): [string, string] {
    const total = this.finished ? this.received : Math.max(this.received, (this.text.length * ESTIMATED_MS_PER_CHAR * SAMPLE_RATE) / 1000);
    const words = this.text.split(/\s+/).filter(Boolean);
    const spoken = total === 0 ? 0 : Math.round((heardSamples / total) * words.length);
    return [words.slice(0, spoken).join(' '), words.slice(spoken).join(' ')];
  }
}

/** A slice written to the player, kept until it has been heard in case a pause takes it back. */
interface Written {
  chunk: Chunk;
  /** The slice before the gain was applied. */
  samples: Int16Array;
  /** Its entry in the chunk's schedule. */
  slot: { playsAt: number; samples: number };
}

class Turn {
  readonly controller = new AbortController();
  chunker = new SentenceChunker();
  readonly chunks: Chunk[] = [];
  ended = false;
  playing = 0;
  player: PcmPlayer | null = null;
  /** When everything written so far will have been heard. */
  playedBy = 0;
  /** Written and perhaps not yet heard. */
  recent: Written[] = [];
  /** Taken back from the player by a pause: written again, first, when the interviewer resumes. */
  unheard: { chunk: Chunk; samples: Int16Array }[] = [];
  readonly marks: SpeechMarks;
  done!: Promise<SpeechOutcome>;
  interruptedAt: InterruptedAt | null = null;
  /** Woken when a chunk is added, the turn ends or it is stopped. */
  readonly change = new Waker();

  constructor(now: number) {
    this.marks = { startedAt: now };
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }
}

/**
 * Speaks the interviewer's text as it streams, with every stage overlapped: each chunk goes to the
 * voice the moment the chunker completes it, the next chunk is synthesised while this one plays,
 * and audio is written as it arrives, in order. Output is fed in 10 ms slices at most `leadMs`
 * ahead of playback, so a duck is heard within `leadMs`; a pause or a stop silences the player at
 * once, and a pause keeps what it took back to say after resume().
 *
 * A turn owns one AbortController (`signal`): the caller passes it to the LLM, and `interrupt()`
 * aborts it with the syntheses in flight, kills playback and drops what is queued.
 */
export class SpokenOutput {
  private turn: Turn | null = null;
  private readonly leadMs: number;
  private readonly inFlight: number;
  private readonly duckGain: number;
  private readonly now: () => number;
  private gain = 1;
  private targetGain = 1;
  private paused = false;
  private resumeWaiters: (() => void)[] = [];

  constructor(
    private readonly voice: SpeechSynthesizer,
    private readonly openPlayer: () => PcmPlayer,
    private readonly onError: (error: Error) => void,
    private readonly options: SpokenOutputOptions = {},
  ) {
    this.leadMs = options.leadMs ?? 40;
    this.inFlight = options.synthesesInFlight ?? 2;
    this.duckGain = 10 ** ((options.duckDb ?? -12) / 20);
    this.now = options.now ?? (() => performance.now());
  }

  /** The current turn's signal: aborted when the candidate interrupts. Starts a turn if none is open. */
  get signal(): AbortSignal {
    return this.current().signal;
  }

  /** The current turn's marks, if a turn is open. */
  get marks(): SpeechMarks | null {
    return this.turn?.marks ?? null;
  }

  /** The interviewer has something queued or sounding. */
  get speaking(): boolean {
    const turn = this.turn;
    if (!turn) return false;
    return turn.chunks.length > turn.playing || this.now() < turn.playedBy || turn.unheard.length > 0 || !turn.ended;
  }

  /** Starts a new turn (interrupting one still open) and returns its signal, for the LLM. */
  beginTurn(): AbortSignal {
    if (this.turn) this.interrupt();
    return this.current().signal;
  }

  /** More of the interviewer's text. */
  push(delta: string): void {
    const turn = this.current();
    if (delta) turn.marks.firstTextAt ??= this.now();
    this.enqueue(
      turn,
      turn.chunker.push(delta).map((c) => c.text),
    );
  }

  /**
   * A complete sentence, as LLM brains deliver them (their output guard releases text sentence by
   * sentence): spoken at once. push() would hold it until a letter of the next sentence arrives,
   * which the chunker needs to be sure of a boundary, so the next sentence's generation time.
   */
  pushSentence(sentence: string): void {
    const turn = this.current();
    if (sentence) turn.marks.firstTextAt ??= this.now();
    const chunks = [...turn.chunker.push(sentence), ...turn.chunker.end()];
    turn.chunker = new SentenceChunker();
    this.enqueue(
      turn,
      chunks.map((c) => c.text),
    );
  }

  /** The interviewer's turn is complete; resolves when it has been spoken or interrupted. */
  endTurn(): Promise<SpeechOutcome> {
    const turn = this.turn;
    if (!turn) return Promise.resolve({ interruptedAt: null, marks: { startedAt: this.now() } });
    this.enqueue(
      turn,
      turn.chunker.end().map((c) => c.text),
    );
    turn.ended = true;
    turn.change.notify();
    return turn.done;
  }

  /** Lowers the volume at once: the candidate may be starting to speak. Returns when the change is heard. */
  duck(): number {
    this.targetGain = Math.min(this.targetGain, this.duckGain);
    return this.heardFrom();
  }

  /**
   * Silence now, keeping the place: the player is stopped (what it had queued never sounds) and
   * what was written but not yet heard is said again, first, after resume(). Returns when silence began.
   */
  pause(): number {
    this.paused = true;
    const now = this.now();
    const turn = this.turn;
    if (turn?.player && turn.playedBy > now) {
      turn.player.stop();
      turn.player = null;
      turn.unheard = [...this.takeBack(turn, now), ...turn.unheard];
      turn.playedBy = now;
    }
    return now;
  }

  /** The unheard ends of the slices written for after `atMs`; their schedule keeps only what was heard. */
  private takeBack(turn: Turn, atMs: number): { chunk: Chunk; samples: Int16Array }[] {
    const taken = [];
    for (const { chunk, samples, slot } of turn.recent) {
      const heard = Math.min(samples.length, Math.max(0, Math.floor(((atMs - slot.playsAt) * SAMPLE_RATE) / 1000)));
      if (heard === samples.length) continue;
      slot.samples = heard;
      taken.push({ chunk, samples: samples.subarray(heard) });
    }
    turn.recent = [];
    return taken;
  }

  /** When a change made now is heard: after what is already written has played. */
  private heardFrom(): number {
    return Math.max(this.now(), this.turn?.playedBy ?? 0);
  }

  /** Full volume again, carrying on where it paused. */
  resume(): void {
    this.targetGain = 1;
    this.paused = false;
    for (const wake of this.resumeWaiters.splice(0)) wake();
  }

  /**
   * Silence now; queued speech is dropped and the turn's LLM and syntheses are aborted. Returns where
   * the interviewer was cut off, or null when nothing was being said.
   */
  interrupt(): InterruptedAt | null {
    const turn = this.turn;
    this.turn = null;
    this.resume();
    if (!turn) return null;
    const at = this.now();
    const wasSpeaking = turn.chunks.length > 0 && (turn.chunks.length > turn.playing || at < turn.playedBy || turn.unheard.length > 0);
    turn.interruptedAt = wasSpeaking ? this.whereCut(turn, at) : null;
    turn.controller.abort();
    turn.player?.stop();
    turn.change.notify();
    for (const chunk of turn.chunks) chunk.arrival.notify();
    return turn.interruptedAt;
  }

  private current(): Turn {
    if (this.turn) return this.turn;
    const turn = new Turn(this.now());
    this.turn = turn;
    turn.done = this.play(turn);
    return turn;
  }

  private whereCut(turn: Turn, atMs: number): InterruptedAt {
    const spoken: string[] = [];
    const unspoken: string[] = [];
    for (const chunk of turn.chunks) {
      const heard = chunk.heardBy(atMs);
      const [said, rest] = heard === 0 ? ['', chunk.text] : chunk.finished && heard >= chunk.received ? [chunk.text, ''] : chunk.splitAt(heard);
      if (said) spoken.push(said);
      if (rest) unspoken.push(rest);
    }
    return { spokenText: spoken.join(' '), unspokenText: unspoken.join(' ') };
  }

  private enqueue(turn: Turn, texts: string[]): void {
    if (texts.length === 0) return;
    turn.marks.firstChunkAt ??= this.now();
    for (const text of texts) turn.chunks.push(new Chunk(text));
    this.synthesizeAhead(turn);
    turn.change.notify();
  }

  /** Starts the syntheses that may run now: in order, a bounded number at a time. */
  private synthesizeAhead(turn: Turn): void {
    let running = turn.chunks.filter((c) => c.started && !c.finished).length;
    for (const chunk of turn.chunks.slice(turn.playing)) {
      if (running >= this.inFlight) return;
      if (chunk.started) continue;
      running++;
      void this.synthesize(turn, chunk);
    }
  }

  private async synthesize(turn: Turn, chunk: Chunk): Promise<void> {
    chunk.started = true;
    turn.marks.ttsStartedAt ??= this.now();
    try {
      for await (const samples of this.voice.synthesize(chunk.text, turn.signal)) {
        if (turn.signal.aborted) return;
        if (chunk === turn.chunks[0]) turn.marks.ttsFirstAudioAt ??= this.now();
        chunk.pieces.push(samples);
        chunk.received += samples.length;
        chunk.arrival.notify();
      }
    } catch (error) {
      if (!turn.signal.aborted) chunk.failure = error as Error;
    } finally {
      chunk.finished = true;
      chunk.arrival.notify();
      if (!turn.signal.aborted) this.synthesizeAhead(turn);
    }
  }

  private async play(turn: Turn): Promise<SpeechOutcome> {
    const { signal } = turn;
    try {
      turn.player = this.openPlayer();
      for (;;) {
        if (signal.aborted) break;
        const chunk = turn.chunks[turn.playing];
        if (!chunk) {
          if (turn.ended) break;
          await turn.change.wait();
          continue;
        }
        this.synthesizeAhead(turn);
        let announced = false;
        for (let piece = 0; !signal.aborted; ) {
          const samples = chunk.pieces[piece];
          if (!samples) {
            if (chunk.failure) throw chunk.failure;
            if (chunk.finished) break;
            await chunk.arrival.wait();
            continue;
          }
          piece++;
          if (!announced) {
            if (turn.marks.firstSampleAt === undefined) this.options.onSpoken?.({ type: 'started' });
            this.options.onSpoken?.({ type: 'chunk', text: chunk.text });
            announced = true;
          }
          await this.write(turn, chunk, samples);
        }
        turn.playing++;
      }
      // A pause while the last audio plays takes it back: the player ends again after it is said.
      while (!signal.aborted) {
        await this.writeSlice(turn, null);
        if (signal.aborted || !turn.player) break;
        await turn.player.end();
        if (turn.unheard.length === 0) break;
      }
    } catch (error) {
      if (!signal.aborted) {
        turn.player?.stop();
        this.onError(error as Error);
      }
    } finally {
      if (this.turn === turn) this.turn = null;
      turn.marks.playedUntil = turn.playedBy;
      if (turn.marks.firstSampleAt !== undefined) this.options.onSpoken?.({ type: 'stopped', reason: signal.aborted ? 'interrupted' : 'finished' });
    }
    return { interruptedAt: turn.interruptedAt, marks: turn.marks };
  }

  /** Writes samples in slices, paced to stay `leadMs` ahead of playback, at the current gain. */
  private async write(turn: Turn, chunk: Chunk, samples: Int16Array): Promise<void> {
    for (let at = 0; at < samples.length && !turn.signal.aborted; at += SLICE_SAMPLES)
      await this.writeSlice(turn, { chunk, samples: samples.subarray(at, at + SLICE_SAMPLES) });
  }

  /**
   * Writes one slice (or, with null, nothing more) once the output is not paused and there is room
   * ahead of playback; what a pause took back goes first.
   */
  private async writeSlice(turn: Turn, next: { chunk: Chunk; samples: Int16Array } | null): Promise<void> {
    const sliceMs = msOf(SLICE_SAMPLES);
    for (;;) {
      if (turn.signal.aborted) return;
      if (this.paused) {
        await new Promise<void>((resolve) => this.resumeWaiters.push(resolve));
        continue;
      }
      const aheadMs = turn.playedBy - this.now();
      if (aheadMs > this.leadMs - sliceMs) {
        await new Promise((resolve) => setTimeout(resolve, aheadMs - (this.leadMs - sliceMs)));
        continue;
      }
      const slice = turn.unheard.shift() ?? next;
      if (!slice) return;
      await this.emit(turn, slice.chunk, slice.samples);
      if (slice === next) return;
    }
  }

  private async emit(turn: Turn, chunk: Chunk, samples: Int16Array): Promise<void> {
    const slice = this.withGain(samples);
    const now = this.now();
    const playsAt = Math.max(turn.playedBy, now);
    turn.playedBy = playsAt + msOf(slice.length);
    const slot = { playsAt, samples: slice.length };
    chunk.schedule.push(slot);
    while (turn.recent.length > 0 && turn.recent[0]!.slot.playsAt + msOf(turn.recent[0]!.slot.samples) <= now) turn.recent.shift();
    turn.recent.push({ chunk, samples, slot });
    turn.marks.firstSampleAt ??= now;
    this.options.onPlayed?.(slice, playsAt);
    turn.player ??= this.openPlayer();
    await turn.player.write(slice);
  }

  /** The slice at the current gain, ramping across it when the gain changes so it does not click. */
  private withGain(slice: Int16Array): Int16Array {
    const from = this.gain;
    const to = this.targetGain;
    this.gain = to;
    if (from === 1 && to === 1) return slice;
    const out = new Int16Array(slice.length);
    for (let i = 0; i < slice.length; i++) out[i] = Math.round(slice[i]! * (from + ((to - from) * (i + 1)) / slice.length));
    return out;
  }
}

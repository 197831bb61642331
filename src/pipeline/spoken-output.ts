import type { PcmPlayer } from '../audio/player.js';
import type { SpeechSynthesizer } from '../providers/spec.js';
import { SentenceChunker } from './sentence-chunker.js';

/**
 * Speaks the interviewer's text as it streams: each chunk is synthesised and played as soon as it
 * is complete, in order, while the model is still writing. `interrupt()` silences the voice at once
 * and drops whatever was queued: the candidate has started a new turn.
 *
 * One speaking loop runs at a time. An interrupted loop sees its own aborted signal and exits
 * without touching the state a newer loop uses.
 */
export class SpokenOutput {
  private chunker = new SentenceChunker();
  private queue: string[] = [];
  private turnEnded = false;
  private controller = new AbortController();
  private player: PcmPlayer | null = null;
  private running: Promise<void> | null = null;
  private wake: (() => void) | null = null;

  constructor(
    private readonly voice: SpeechSynthesizer,
    private readonly openPlayer: () => PcmPlayer,
    private readonly onError: (error: Error) => void,
  ) {}

  /** More of the interviewer's text. */
  push(delta: string): void {
    this.enqueue(this.chunker.push(delta).map((c) => c.text));
  }

  /** The interviewer's turn is complete; resolves when it has been spoken or interrupted. */
  endTurn(): Promise<void> {
    this.enqueue(this.chunker.end().map((c) => c.text));
    this.chunker = new SentenceChunker();
    this.turnEnded = true;
    this.wake?.();
    return this.running ?? Promise.resolve();
  }

  /** Silence now; queued speech is dropped. */
  interrupt(): void {
    this.controller.abort();
    this.player?.stop();
    this.wake?.();
    this.controller = new AbortController();
    this.player = null;
    this.running = null;
    this.wake = null;
    this.queue = [];
    this.turnEnded = false;
    this.chunker = new SentenceChunker();
  }

  private enqueue(texts: string[]): void {
    if (texts.length === 0) return;
    this.queue.push(...texts);
    if (this.running) this.wake?.();
    else this.running = this.speak(this.controller.signal);
  }

  private async speak(signal: AbortSignal): Promise<void> {
    let player: PcmPlayer | null = null;
    try {
      player = this.openPlayer();
      this.player = player;
      for (;;) {
        if (signal.aborted) return;
        const text = this.queue.shift();
        if (text === undefined) {
          if (this.turnEnded) break;
          await new Promise<void>((resolve) => (this.wake = resolve));
          continue;
        }
        for await (const samples of this.voice.synthesize(text, signal)) {
          if (signal.aborted) return;
          await player.write(samples);
        }
      }
      await player.end();
    } catch (error) {
      if (!signal.aborted) this.onError(error as Error);
    } finally {
      if (!signal.aborted) {
        this.running = null;
        this.player = null;
        this.wake = null;
        this.turnEnded = false;
      }
    }
  }
}

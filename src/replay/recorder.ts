import { closeSync, existsSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { errorMessage, VettaError } from '../core/errors.js';
import type { Action } from '../interview/actions.js';
import type { Scorecard } from '../interview/scorecard.js';
import type { InterviewEvent } from '../interview/state.js';
import type { Brain, BrainPart, Instruction, InterviewContext } from '../interview/brain.js';
import { WrappedBrain } from '../interview/wrapped-brain.js';
import { normaliseRequest, requestKey } from './recording.js';
import type { RecordedAction, RecordingEntry, RecordingHeader, VoiceEntry } from './recording.js';

export interface RecorderOptions {
  /** The interview's clock, as the engine reads it. */
  now: () => number;
  /** Removes secrets from each line before it is written. */
  scrub: (text: string) => string;
  /** Wall ms since the recording started (default: measured); a re-recording keeps the recorded ones. */
  elapsedMs?: () => number;
}

/** The sibling file for the candidate's audio: rec.jsonl -> rec.audio.pcm. */
export const audioFileFor = (file: string) => join(dirname(file), `${basename(file).replace(/\.jsonl$/, '')}.audio.pcm`);

/**
 * Writes a recording as the interview happens. Each line goes to the file with one write call, so a
 * crash keeps every line written before it. An edit in the editor is written when the editor
 * returns, with the code it produced, ahead of the events that happened while it was open.
 */
export class Recorder {
  private fd: number | null;
  private audioFd: number | null = null;
  private audioBytes = 0;
  private readonly startedWallMs = Date.now();
  private nextRequestId = 1;
  private pendingEdit: { t: number; clock: number; held: string[] } | null = null;

  private constructor(
    readonly file: string,
    header: RecordingHeader,
    private readonly options: RecorderOptions,
  ) {
    mkdirSync(dirname(file), { recursive: true });
    try {
      this.fd = openSync(file, 'w', 0o600);
    } catch (e) {
      throw new VettaError('io', `cannot write the recording ${file} (${(e as NodeJS.ErrnoException).code}); choose another path with --record FILE`);
    }
    writeSync(this.fd, `${options.scrub(JSON.stringify(header))}\n`);
  }

  static create(file: string, header: RecordingHeader, options: RecorderOptions): Recorder {
    return new Recorder(file, header, options);
  }

  private elapsed(): number {
    return this.options.elapsedMs ? this.options.elapsedMs() : Date.now() - this.startedWallMs;
  }

  private line(entry: RecordingEntry, at = { t: this.elapsed(), clock: this.options.now() }): string {
    return `${this.options.scrub(JSON.stringify({ t: at.t, clock: at.clock, ...entry }))}\n`;
  }

  private write(entry: RecordingEntry): void {
    if (this.fd === null) return;
    const text = this.line(entry);
    if (this.pendingEdit) this.pendingEdit.held.push(text);
    else writeSync(this.fd, text);
  }

  /** An action as it starts running; an edit from a file carries that file's code. */
  action(action: Action | { kind: 'tick' }): void {
    if (action.kind !== 'edit') {
      this.write({ type: 'action', action });
      return;
    }
    if (action.file) {
      const code = existsSync(action.file) ? readFileSync(action.file, 'utf8') : null;
      this.write({ type: 'action', action: { kind: 'edit', via: 'file', code } });
      return;
    }
    this.pendingEdit = { t: this.elapsed(), clock: this.options.now(), held: [] };
  }

  /** Wraps the editor so the code the candidate saved (or that none came back) is recorded. */
  watchEditor<R extends { status: number | null }>(run: (file: string) => Promise<R>): (file: string) => Promise<R> {
    return async (file) => {
      let code: string | null = null;
      try {
        const result = await run(file);
        if (result.status === 0 && existsSync(file)) code = readFileSync(file, 'utf8');
        return result;
      } finally {
        this.completeEdit(code);
      }
    };
  }

  private completeEdit(code: string | null): void {
    const pending = this.pendingEdit;
    if (!pending || this.fd === null) return;
    this.pendingEdit = null;
    const action: RecordedAction = { kind: 'edit', via: 'editor', code };
    writeSync(this.fd, this.line({ type: 'action', action }, pending) + pending.held.join(''));
  }

  event(event: InterviewEvent): void {
    this.write({ type: 'event', event });
  }

  notice(text: string): void {
    this.write({ type: 'notice', text });
  }

  voice(entry: Exclude<VoiceEntry, { type: 'audio' }>): void {
    this.write(entry);
  }

  /** The candidate's audio, 16 kHz mono s16le, appended to the sibling file (docs/recording-format.md). */
  audio(pcm: Int16Array): void {
    if (this.fd === null || pcm.length === 0) return;
    this.audioFd ??= openSync(audioFileFor(this.file), 'w', 0o600);
    const bytes = Buffer.from(pcm.buffer, pcm.byteOffset, pcm.byteLength);
    writeSync(this.audioFd, bytes);
    this.write({ type: 'audio', offsetBytes: this.audioBytes, bytes: bytes.length });
    this.audioBytes += bytes.length;
  }

  llmRequest(brain: string, instruction: Instruction, context: InterviewContext): number {
    const id = this.nextRequestId++;
    const request = normaliseRequest(instruction, context);
    this.write({ type: 'llm_request', id, brain, key: requestKey(request), request });
    return id;
  }

  llmResponse(id: number, text: string, error?: string): void {
    this.write({ type: 'llm_response', id, text, ...(error !== undefined ? { error } : {}) });
  }

  scorecard(card: Scorecard): void {
    this.write({ type: 'scorecard', card });
  }

  close(): void {
    this.completeEdit(null);
    if (this.fd !== null) closeSync(this.fd);
    if (this.audioFd !== null) closeSync(this.audioFd);
    this.fd = null;
    this.audioFd = null;
  }
}

/** A brain whose every turn is recorded: the normalised request, then the whole text it streamed. */
export class RecordingBrain extends WrappedBrain {
  constructor(
    inner: Brain,
    private readonly recorder: Recorder,
  ) {
    super(inner);
  }

  /** Not recorded: only a turn the interview takes (a stream()) is, whether or not it was anticipated. */
  anticipate(instruction: Instruction, context: InterviewContext): void {
    this.inner.anticipate?.(instruction, context);
  }

  async *stream(instruction: Instruction, context: InterviewContext, signal?: AbortSignal): AsyncGenerator<BrainPart> {
    const id = this.recorder.llmRequest(this.inner.name, instruction, context);
    let text = '';
    let error: string | undefined;
    try {
      for await (const part of this.inner.stream(instruction, context, signal)) {
        if (part.type === 'text-delta') text += part.text;
        yield part;
      }
    } catch (e) {
      error = signal?.aborted ? 'aborted' : errorMessage(e);
      throw e;
    } finally {
      this.recorder.llmResponse(id, text, error);
    }
  }
}

import { spawn } from 'node:child_process';
import type { ChildProcessByStdio } from 'node:child_process';
import { existsSync } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { SAMPLE_RATE } from '../../core/pcm.js';
import { untilAborted } from '../../core/abort.js';
import { AsyncQueue } from '../../core/async-queue.js';
import { feedRecognizer } from '../recognizer-input.js';
import { VettaError } from '../../core/errors.js';
import { findOnPath } from '../../core/find-on-path.js';
import { ProviderError } from '../errors.js';
import type { RecognizerInput, SpeechRecognizer, TranscriptEvent } from '../spec.js';

/** Where Debian's pocketsphinx-en-us puts the US English acoustic model, language model and dictionary. */
export const DEFAULT_POCKETSPHINX_MODEL = '/usr/share/pocketsphinx/model/en-us';
const BINARY = 'pocketsphinx_continuous';
const NOT_INSTALLED = 'pocketsphinx is not installed (Debian/Ubuntu: apt-get install pocketsphinx pocketsphinx-en-us)';

function modelFiles(modelDir: string): { hmm: string; lm: string; dict: string } {
  return { hmm: join(modelDir, 'en-us'), lm: join(modelDir, 'en-us.lm.bin'), dict: join(modelDir, 'cmudict-en-us.dict') };
}

/**
 * The offline ear: CMU PocketSphinx (Debian's 0.8+5prealpha `pocketsphinx_continuous`) reading raw
 * 16 kHz s16le from a pipe. Its own VAD splits the audio into utterances and it prints each one,
 * with word times from the start of its input, once the speaker has been quiet for 0.5 s. It says
 * nothing while an utterance is under way, so there are no partials and no speech-started.
 *
 * END_OF_SPEECH closes the process's input, which makes it finish the utterance at once; the audio
 * after it goes to a new process, started at that moment so its 0.3 s of model loading overlaps the
 * pause, with its times shifted by where its audio begins. One process per stretch of speech also
 * tells exactly when the recognizer is done with that stretch: `utterance-end` follows its exit.
 */
export class PocketsphinxStt implements SpeechRecognizer {
  readonly name = 'pocketsphinx';

  constructor(
    private readonly binary: string,
    private readonly modelDir: string = DEFAULT_POCKETSPHINX_MODEL,
  ) {}

  /** The recognizer when its binary is on PATH and its model is installed, else why not. */
  static detect(env: NodeJS.ProcessEnv = process.env, modelDir = DEFAULT_POCKETSPHINX_MODEL): PocketsphinxStt | string {
    const binary = findOnPath(BINARY, env);
    if (!binary || !Object.values(modelFiles(modelDir)).every((file) => existsSync(file))) return NOT_INSTALLED;
    return new PocketsphinxStt(binary, modelDir);
  }

  transcribe(audio: AsyncIterable<RecognizerInput>, signal?: AbortSignal): AsyncGenerator<TranscriptEvent> {
    return new Session(this.binary, this.modelDir, audio, signal).run();
  }
}

type Child = ChildProcessByStdio<Writable, Readable, Readable>;

/** One pocketsphinx process and the stretch of the stream it hears. */
class Segment {
  readonly child: Child;
  readonly exited: Promise<{ code: number | null; spawnError?: Error }>;
  writtenSamples = 0;
  /** Killed on purpose: it had no audio, or the session stopped. Its end is no failure. */
  private killed = false;
  /** Set when its input is closed: whether an END_OF_SPEECH closed it (it then owes an utterance-end). */
  closedBy: 'end-of-speech' | 'input-end' | undefined;
  private stderrTail = '';

  constructor(
    binary: string,
    modelDir: string,
    readonly offsetSamples: number,
  ) {
    const { hmm, lm, dict } = modelFiles(modelDir);
    // It opens its input by name, and Node's stdin "pipe" is a socket, which /dev/stdin cannot
    // open: `cat` turns it into a real pipe. Its own process group, so a kill takes both.
    const args = ['-infile', '/dev/stdin', '-time', 'yes', '-hmm', hmm, '-lm', lm, '-dict', dict];
    this.child = spawn('/bin/sh', ['-c', 'cat | exec "$@"', 'sh', binary, ...args], { stdio: ['pipe', 'pipe', 'pipe'], detached: true });
    // A process that has died makes writes fail with EPIPE; its exit code says what happened.
    this.child.stdin.on('error', () => {});
    // Its log runs to hundreds of lines; only the last error matters.
    this.child.stderr.on('data', (data: Buffer) => (this.stderrTail = (this.stderrTail + data.toString()).slice(-4096)));
    this.exited = new Promise((resolve) => {
      this.child.on('error', (spawnError) => resolve({ code: null, spawnError }));
      this.child.on('close', (code) => resolve({ code }));
    });
  }

  async write(frame: Int16Array): Promise<void> {
    this.writtenSamples += frame.length;
    // A copy: the pipe may hold the buffer after write() returns, and a microphone reuses its own.
    if (!this.child.stdin.write(Buffer.from(new Uint8Array(frame.buffer, frame.byteOffset, frame.byteLength)))) {
      await Promise.race([once(this.child.stdin, 'drain').catch(() => {}), this.exited]);
    }
  }

  close(by: 'end-of-speech' | 'input-end'): void {
    this.closedBy ??= by;
    // With no audio there is nothing to recognize: no need to wait for it to load its model.
    if (this.writtenSamples === 0) this.kill();
    else this.child.stdin.end();
  }

  kill(): void {
    this.killed = true;
    if (this.child.pid === undefined || this.child.exitCode !== null || this.child.signalCode !== null) return;
    try {
      process.kill(-this.child.pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }

  /** The utterances this process prints, in order, then whether it ended well. */
  async *events(modelDir: string): AsyncGenerator<TranscriptEvent> {
    const offsetMs = (this.offsetSamples * 1000) / SAMPLE_RATE;
    const parser = new OutputParser(offsetMs);
    let partial = '';
    for await (const chunk of this.child.stdout as AsyncIterable<Buffer>) {
      // After an abort, what was already printed is no longer wanted.
      if (this.killed) return;
      const lines = (partial + chunk.toString()).split('\n');
      partial = lines.pop()!;
      for (const line of lines) {
        const event = parser.line(line);
        if (event) yield event;
      }
    }
    if (this.killed) return;
    if (partial) {
      const event = parser.line(partial);
      if (event) yield event;
    }
    const last = parser.flush();
    if (last) yield last;
    const { code, spawnError } = await this.exited;
    if (this.killed) return;
    if (spawnError) throw new ProviderError('pocketsphinx', `cannot start ${BINARY} (${spawnError.message})`);
    // The shell's answer when the binary has gone since it was found.
    if (code === 127) throw new VettaError('invalid_input', NOT_INSTALLED);
    if (code !== 0) {
      const reason =
        this.stderrTail
          .split('\n')
          .filter((l) => /^(ERROR|FATAL)/.test(l))
          .at(-1) ?? `exit ${code}`;
      throw new ProviderError(
        'pocketsphinx',
        `${BINARY} failed (${reason.trim()}): check the model in ${modelDir}, or apt-get install pocketsphinx pocketsphinx-en-us`,
      );
    }
  }
}

/** Voice-activity markers and fillers in word times: not words. */
const NOT_A_WORD = /^(<s>|<\/s>|<sil>|\[.*\]|\+\+.*\+\+)$/;
const WORD_TIME = /^(\S+) (\d+\.\d+) (\d+\.\d+) \S+$/;

/**
 * Reads `-time yes` output: per utterance, the hypothesis on a line of its own, then a line per
 * word "word start end confidence" in seconds (start and end are the first and last 10 ms frame),
 * from `<s>` to `</s>`.
 */
class OutputParser {
  private text: string | undefined;
  private words: { startMs: number; endMs: number }[] = [];

  constructor(private readonly offsetMs: number) {}

  line(line: string): TranscriptEvent | undefined {
    const time = WORD_TIME.exec(line);
    if (!time) {
      // A new hypothesis: an earlier one whose `</s>` never came is complete.
      const previous = this.flush();
      this.text = line.trim();
      return previous;
    }
    const [, word, start, end] = time;
    if (!NOT_A_WORD.test(word!)) this.words.push({ startMs: Math.round(Number(start) * 1000), endMs: Math.round(Number(end) * 1000) + 10 });
    return word === '</s>' ? this.flush() : undefined;
  }

  /** The utterance read so far, when it has words. */
  flush(): TranscriptEvent | undefined {
    const text = this.text;
    const words = this.words;
    this.text = undefined;
    this.words = [];
    if (!text || words.length === 0) return undefined;
    return { type: 'transcript-final', text, startMs: this.offsetMs + words[0]!.startMs, endMs: this.offsetMs + words.at(-1)!.endMs, speechFinal: true };
  }
}

class Session {
  private readonly segments = new AsyncQueue<Segment>();
  private readonly live = new Set<Segment>();
  private current: Segment | undefined;
  private streamSamples = 0;
  private stopped = false;

  constructor(
    private readonly binary: string,
    private readonly modelDir: string,
    private readonly audio: AsyncIterable<RecognizerInput>,
    private readonly signal: AbortSignal | undefined,
  ) {}

  run(): AsyncGenerator<TranscriptEvent> {
    return untilAborted(
      this.signal,
      () => this.stop(),
      () => {
        this.startSegment();
        void feedRecognizer(this.audio, {
          stopped: () => this.stopped,
          frame: (frame) => {
            this.streamSamples += frame.length;
            return this.current!.write(frame);
          },
          endOfSpeech: () => {
            this.current!.close('end-of-speech');
            this.startSegment();
          },
          endOfInput: () => {
            this.current!.close('input-end');
            this.segments.end();
          },
          failed: (error) => {
            if (this.stopped) return;
            for (const segment of this.live) segment.kill();
            this.segments.end(error);
          },
        });
        return this.transcripts();
      },
    );
  }

  private async *transcripts(): AsyncGenerator<TranscriptEvent> {
    for await (const segment of this.segments) {
      yield* segment.events(this.modelDir);
      this.live.delete(segment);
      if (this.stopped) return;
      if (segment.closedBy === 'end-of-speech') yield { type: 'utterance-end', atMs: ((segment.offsetSamples + segment.writtenSamples) * 1000) / SAMPLE_RATE };
    }
  }

  private startSegment(): void {
    const segment = new Segment(this.binary, this.modelDir, this.streamSamples);
    this.current = segment;
    this.live.add(segment);
    this.segments.push(segment);
  }

  /** Quiet: on abort, when the caller stops reading, and at the end. */
  private stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    for (const segment of this.live) segment.kill();
    this.live.clear();
    this.segments.end();
  }
}

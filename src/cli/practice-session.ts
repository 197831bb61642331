import { VettaError } from '../core/errors.js';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { Interview } from '../interview/engine.js';
import type { InterviewOptions } from '../interview/engine.js';
import type { Scorecard } from '../interview/scorecard.js';
import type { InterviewEvent } from '../interview/state.js';
import { Transcript } from '../interview/transcript.js';
import type { SpeechOutcome, SpokenOutput } from '../pipeline/spoken-output.js';
import { EXTENSIONS, readProblemFile } from '../problems/load.js';
import type { Action } from '../interview/actions.js';
import { readSolution } from './run.js';

/** How the candidate's editor is run: the line transcript hands it the terminal, the TUI suspends first. */
export type EditorRunner = (file: string) => Promise<{ status: number | null; signal?: string | null }>;

export interface PracticeSessionOptions extends Omit<InterviewOptions, 'onText' | 'onEvent' | 'onNotice'> {
  solutionFile: string;
  runEditor: EditorRunner;
  voice?: SpokenOutput | null;
  /** A script waits for the interviewer to finish speaking; a person who acts cuts it short. */
  waitForSpeech?: boolean;
  onText?: (delta: string) => void;
  onEvent?: (event: InterviewEvent) => void;
  onNotice?: (message: string) => void;
  /** Advances the virtual clock of a scripted session. */
  advanceClock?: (ms: number) => void;
  /** Each action as it starts running, and each look at the clock while idle: for a recording. */
  onAction?: (action: Action | { kind: 'tick' }) => void;
}

const BUSY: Record<Action['kind'], string | null> = {
  say: 'the interviewer is answering',
  edit: 'your editor is open',
  run: 'running the visible tests',
  submit: 'running all the tests',
  hint: 'the interviewer is thinking of a hint',
  wait: null,
  quit: 'wrapping up',
};

/**
 * A practice interview wired to its surroundings: the engine, the voice, the candidate's solution
 * file and editor, and a transcript any front end can show. Actions run one at a time, in order.
 */
export class PracticeSession {
  readonly interview: Interview;
  readonly transcript: Transcript;
  private queue: Promise<unknown> = Promise.resolve();
  private speech: Promise<void> = Promise.resolve();
  private card: Scorecard | null = null;
  private pending = 0;

  /** Told of each spoken interviewer turn as it ends: how it went, once it has been heard. */
  private speechListeners = new Set<(outcome: Promise<SpeechOutcome>) => void>();

  /** The interviewer's voice; it may arrive after the screen is drawn, before the interview starts. */
  private voice: SpokenOutput | null;

  constructor(private readonly options: PracticeSessionOptions) {
    let transcript: Transcript | null = null;
    this.voice = options.voice ?? null;
    this.interview = new Interview({
      ...options,
      // A turn the candidate talks over is aborted, the model's request with it.
      turnSignal: () => this.voice?.signal,
      onText: (delta) => {
        if (options.brain.wholeSentences) this.voice?.pushSentence(delta);
        else this.voice?.push(delta);
        transcript?.text(delta);
        options.onText?.(delta);
      },
      onEvent: (event) => {
        const voice = this.voice;
        if (event.type === 'interviewer_said' && voice) {
          const outcome = voice.endTurn();
          this.speech = outcome.then(() => {});
          for (const listener of this.speechListeners) listener(outcome);
        }
        transcript?.event(event, this.interview.state);
        options.onEvent?.(event);
      },
      onNotice: (message) => {
        transcript?.notice(message);
        options.onNotice?.(message);
      },
    });
    transcript = new Transcript(this.interview.state);
    this.transcript = transcript;
  }

  /** The interviewer speaks from now on. */
  speakWith(voice: SpokenOutput): void {
    this.voice = voice;
  }

  /** Calls `listener` with each spoken turn's outcome until the returned function is called. */
  onSpeech(listener: (outcome: Promise<SpeechOutcome>) => void): () => void {
    this.speechListeners.add(listener);
    return () => this.speechListeners.delete(listener);
  }

  get ended(): boolean {
    return this.interview.state.phase === 'ended';
  }

  /** Nothing queued or running: the candidate is thinking, typing, or idle. */
  get idle(): boolean {
    return this.pending === 0;
  }

  /** The interviewer opens: introduces the problem, or welcomes back a resumed candidate. */
  start(): Promise<void> {
    if (this.options.resumeFrom) return this.enqueue('the interviewer is picking up where you left off', () => this.interview.resume());
    return this.enqueue('the interviewer is introducing the problem', () => this.interview.start());
  }

  /** Queues an action behind the ones already running; resolves when it is done. */
  perform(action: Action): Promise<void> {
    if (!this.options.waitForSpeech) this.voice?.interrupt();
    return this.enqueue(BUSY[action.kind], () => this.run(action));
  }

  /** Lets the policy look at the clock: an automatic hint when the candidate is stuck. */
  tick(): Promise<void> {
    if (!this.idle || this.ended) return Promise.resolve();
    return this.enqueue(null, () => {
      this.options.onAction?.({ kind: 'tick' });
      return this.interview.tick();
    });
  }

  /** Ends the interview (if it has not ended) and returns the scorecard. */
  async finish(): Promise<Scorecard> {
    await this.queue.catch(() => {});
    this.card ??= await this.interview.end();
    await this.speech;
    return this.card;
  }

  /** The solution file, seeded with the starter code the first time. */
  solutionPath(): string {
    const { solutionFile, problem, language } = this.options;
    if (!existsSync(solutionFile)) {
      mkdirSync(dirname(solutionFile), { recursive: true });
      writeFileSync(solutionFile, readProblemFile(problem, `starter.${EXTENSIONS[language]}`) ?? '');
    }
    return solutionFile;
  }

  private enqueue(busy: string | null, work: () => Promise<unknown>): Promise<void> {
    this.pending++;
    const next = this.queue
      .catch(() => {})
      .then(async () => {
        if (this.options.waitForSpeech) await this.speech;
        this.transcript.setBusy(busy);
        try {
          await work();
        } finally {
          this.pending--;
          this.transcript.setBusy(null);
        }
      });
    this.queue = next;
    return next;
  }

  private async run(action: Action): Promise<void> {
    this.options.onAction?.(action);
    switch (action.kind) {
      case 'say':
        return this.interview.say(action.text);
      case 'edit':
        return this.edit(action.file);
      case 'run':
      case 'submit':
        await this.interview.runTests(action.kind);
        return;
      case 'hint':
        return this.interview.askHint();
      case 'wait':
        this.options.advanceClock?.(action.seconds * 1000);
        return this.interview.tick();
      case 'quit':
        this.card ??= await this.interview.end();
        return;
    }
  }

  private async edit(file?: string): Promise<void> {
    if (file) {
      if (!existsSync(file)) throw new VettaError('invalid_input', `${file} does not exist`);
      const source = this.checked(file);
      if (source === null) return;
      this.interview.codeSaved(source);
      await this.interview.runTests('run');
      return;
    }
    const path = this.solutionPath();
    this.interview.editorOpened();
    const result = await this.options.runEditor(path);
    const previous = this.interview.state.codeSnapshots.at(-1)?.code;
    if (result.status !== 0 || !existsSync(path)) {
      const why =
        result.status !== 0
          ? `the editor exited with ${result.status === null ? `signal ${result.signal ?? 'unknown'}` : `status ${result.status}`}`
          : 'the solution file is gone';
      this.transcript.notice(`${why}; keeping your previous code`);
      this.options.onNotice?.(`${why}; keeping your previous code`);
      if (previous !== undefined) this.interview.codeSaved(previous);
      else this.interview.codeSaved('');
      return;
    }
    const source = this.checked(path);
    if (source === null) {
      if (previous !== undefined) this.interview.codeSaved(previous);
      return;
    }
    this.interview.codeSaved(source);
    await this.interview.runTests('run');
  }

  /**
   * The saved solution, with `vetta run`'s checks (binary, empty, too large): a file that fails them
   * is one line to the candidate and never reaches the judge or the interviewer.
   */
  private checked(file: string): string | null {
    try {
      return readSolution(file);
    } catch (e) {
      if (!(e instanceof VettaError)) throw e;
      const message = `${e.message}; keeping your previous code`;
      this.transcript.notice(message);
      this.options.onNotice?.(message);
      return null;
    }
  }
}

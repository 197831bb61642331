import type { InterviewEvent, InterviewState } from './state.js';

/**
 * What a front end shows of an interview: the conversation as it streams, test results, hints and
 * notices, in order. The terminal UI and the line transcript both read it; it holds no logic about
 * what happens next, only what has been seen.
 */
export type TranscriptEntry =
  | { kind: 'interviewer'; text: string; streaming: boolean }
  | { kind: 'candidate'; text: string }
  | { kind: 'run'; label: 'run' | 'submit'; verdict: string; summary: string; passed: number; total: number }
  | { kind: 'hint'; level: string }
  | { kind: 'notice'; text: string };

export interface TranscriptSnapshot {
  entries: readonly TranscriptEntry[];
  state: InterviewState;
  /** Something is in progress: the interviewer is answering or the tests are running. */
  busy: string | null;
  /** The candidate is speaking: what the recognizer has heard so far ('' before any words). */
  hearing: string | null;
}

export class Transcript {
  private entries: TranscriptEntry[] = [];
  private busy: string | null = null;
  private hearing: string | null = null;
  private listeners = new Set<() => void>();
  private snapshot: TranscriptSnapshot;

  constructor(private state: InterviewState) {
    this.snapshot = { entries: this.entries, state, busy: null, hearing: null };
  }

  /** The interviewer's words as they stream in. */
  text(delta: string): void {
    const last = this.entries.at(-1);
    if (last?.kind === 'interviewer' && last.streaming) this.replaceLast({ ...last, text: last.text + delta });
    else this.entries = [...this.entries, { kind: 'interviewer', text: delta.trimStart(), streaming: true }];
    this.changed();
  }

  event(event: InterviewEvent, state: InterviewState): void {
    this.state = state;
    switch (event.type) {
      case 'interviewer_said': {
        const last = this.entries.at(-1);
        // The final text is the whole turn, trimmed, apology included: it replaces the stream.
        if (last?.kind === 'interviewer' && last.streaming) this.replaceLast({ kind: 'interviewer', text: event.text, streaming: false });
        else this.entries = [...this.entries, { kind: 'interviewer', text: event.text, streaming: false }];
        break;
      }
      case 'candidate_said':
        this.entries = [...this.entries, { kind: 'candidate', text: event.text }];
        break;
      case 'tests_ran':
        this.entries = [
          ...this.entries,
          { kind: 'run', label: event.run.kind, verdict: event.run.verdict, summary: event.run.summary, passed: event.run.passed, total: event.run.total },
        ];
        break;
      case 'hint_given':
        this.entries = [...this.entries, { kind: 'hint', level: event.level }];
        break;
      default:
        break;
    }
    this.changed();
  }

  notice(text: string): void {
    this.entries = [...this.entries, { kind: 'notice', text }];
    this.changed();
  }

  /** The candidate's words as they are recognized; null when they stopped speaking. */
  setHearing(text: string | null): void {
    if (text === this.hearing) return;
    this.hearing = text;
    this.changed();
  }

  setBusy(what: string | null): void {
    if (what === this.busy) return;
    this.busy = what;
    this.changed();
  }

  // Bound, so a view can hand them to useSyncExternalStore as they are.
  readonly get = (): TranscriptSnapshot => this.snapshot;

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  private replaceLast(entry: TranscriptEntry): void {
    this.entries = [...this.entries.slice(0, -1), entry];
  }

  private changed(): void {
    this.snapshot = { entries: this.entries, state: this.state, busy: this.busy, hearing: this.hearing };
    for (const listener of this.listeners) listener();
  }
}

import type { Reply } from './conduct.js';
import type { Scorecard } from './scorecard.js';
import type { HintLevel, HintReason, InterviewState, TestRunRecord } from './state.js';
import type { Reading } from './understanding.js';

/**
 * The interviewer's brain: the policy decides what happens, the brain decides how it is said.
 * Implementations stream text and take an AbortSignal: the offline scripted brain, and a model brain
 * that asks any language model behind the same interface.
 */

export type Instruction =
  | { kind: 'introduce' }
  | { kind: 'resume'; lastInterviewerTurn: string | null }
  /** The candidate said something: how it was read and what the policy decided to reply. */
  | { kind: 'respond'; said: string; reading: Reading; reply: Reply }
  | { kind: 'comment_on_run'; run: TestRunRecord }
  | { kind: 'give_hint'; level: HintLevel; text: string; reason: HintReason; said?: string }
  | { kind: 'no_more_hints'; said?: string }
  | { kind: 'no_code_yet' }
  | { kind: 'ask_follow_up'; question: string }
  | { kind: 'time_warning'; minutesLeft: number }
  | { kind: 'invite_questions' }
  | { kind: 'wrap_up'; scorecardSummary: string; timeUp: boolean }
  /** Not spoken: the model grades the interview as JSON, starting from the offline rubric's card. */
  | { kind: 'assess'; rubric: Scorecard };

/** What a brain may know. The reference solution is never in it. */
export interface InterviewContext {
  problem: {
    id: string;
    title: string;
    statement: string;
    difficulty: string;
    complexity?: { time: string; space: string };
    /** The largest input size the Constraints section allows. */
    maxInputSize?: number | null;
  };
  state: InterviewState;
  /** Minutes of the interview's time budget left. */
  minutesLeft?: number;
}

export type BrainPart = { type: 'text-delta'; text: string } | { type: 'finish' };

export interface Brain {
  readonly name: string;
  /** The model behind it, for recordings and reports; none for the offline interviewer. */
  readonly model?: string;
  /** Every text delta ends a sentence (model brains release text through the output guard so): a voice may speak each at once. */
  readonly wholeSentences?: boolean;
  stream(instruction: Instruction, context: InterviewContext, signal?: AbortSignal): AsyncIterable<BrainPart>;
  /**
   * Preemptive generation: the turn this brain will probably be asked for next, before it is sure.
   * It may start it now; a stream() of the same request takes it over, any other drops it.
   */
  anticipate?(instruction: Instruction, context: InterviewContext): void;
}

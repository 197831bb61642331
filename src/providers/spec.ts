import type { Scorecard } from '../interview/scorecard.js';
import type { HintLevel, HintReason, InterviewState, TestRunRecord } from '../interview/state.js';

/**
 * The interviewer's brain: the policy decides what happens, the brain decides how it is said.
 * Implementations stream text and take an AbortSignal: the offline scripted brain here, LLM brains
 * (Gemini, OpenAI-compatible) behind the same interface.
 */

export type Instruction =
  | { kind: 'introduce' }
  | { kind: 'resume'; lastInterviewerTurn: string | null }
  | { kind: 'answer_clarification'; question: string; answer: string | null }
  | { kind: 'discuss_approach'; said: string }
  | { kind: 'comment_on_run'; run: TestRunRecord }
  | { kind: 'give_hint'; level: HintLevel; text: string; reason: HintReason }
  | { kind: 'no_more_hints' }
  | { kind: 'no_code_yet' }
  | { kind: 'ask_follow_up'; question: string }
  | { kind: 'acknowledge'; said: string }
  | { kind: 'wrap_up'; scorecardSummary: string }
  /** Not spoken: the model grades the interview as JSON, starting from the offline rubric's card. */
  | { kind: 'assess'; rubric: Scorecard };

/** What a brain may know. The reference solution is never in it. */
export interface InterviewContext {
  problem: { id: string; title: string; statement: string; difficulty: string; complexity?: { time: string; space: string } };
  state: InterviewState;
}

export type BrainPart = { type: 'text-delta'; text: string } | { type: 'finish' };

export interface Brain {
  readonly name: string;
  /** The model behind it, for recordings and reports; none for the offline interviewer. */
  readonly model?: string;
  /** Every text delta ends a sentence (LLM brains release text through the output guard so): a voice may speak each at once. */
  readonly wholeSentences?: boolean;
  stream(instruction: Instruction, context: InterviewContext, signal?: AbortSignal): AsyncIterable<BrainPart>;
  /**
   * Preemptive generation: the turn this brain will probably be asked for next, before it is sure.
   * It may start it now; a stream() of the same request takes it over, any other drops it.
   */
  anticipate?(instruction: Instruction, context: InterviewContext): void;
}

/** A voice: text in, 16 kHz mono PCM out as it is synthesised, stopped by the signal. */
export interface SpeechSynthesizer {
  readonly name: string;
  synthesize(text: string, signal?: AbortSignal): AsyncIterable<Int16Array>;
}

/** Marks, in the audio sent to a recogniser, that local VAD saw the speech end: finalise now. */
export const END_OF_SPEECH = Symbol('end-of-speech');
export type RecognizerInput = Int16Array | typeof END_OF_SPEECH;

/**
 * What a recogniser says about the audio. Times are milliseconds of audio since the stream began,
 * so they line up with the microphone's own clock whatever the network did.
 */
export type TranscriptEvent =
  | { type: 'speech-started'; atMs: number }
  | { type: 'transcript-partial'; text: string; startMs: number; endMs: number }
  | { type: 'transcript-final'; text: string; startMs: number; endMs: number; speechFinal: boolean }
  | { type: 'utterance-end'; atMs: number };

/** An ear: 16 kHz mono PCM frames in, transcript events out as they are recognised. */
export interface SpeechRecognizer {
  readonly name: string;
  transcribe(audio: AsyncIterable<RecognizerInput>, signal?: AbortSignal): AsyncIterable<TranscriptEvent>;
}

/**
 * The small interfaces every provider implements, several times each: a language model (text in,
 * text out), a voice (text in, audio out) and an ear (audio in, transcripts out). They know nothing
 * of interviews: the interview builds the prompt and judges the words.
 */

export interface ChatMessage {
  role: 'user' | 'assistant';
  content: string;
}

export interface ModelRequest {
  system: string;
  messages: ChatMessage[];
  /** An upper bound on the answer's length. */
  maxTokens: number;
}

/** A language model: a request in, its text out as it streams, stopped by the signal. */
export interface LanguageModel {
  /** The provider: "gemini", "openai". */
  readonly name: string;
  /** The model behind it, e.g. "gemini-2.5-flash". */
  readonly model: string;
  stream(request: ModelRequest, signal: AbortSignal): AsyncIterable<string>;
}

/** A voice: text in, 16 kHz mono PCM out as it is synthesised, stopped by the signal. */
export interface SpeechSynthesizer {
  readonly name: string;
  synthesize(text: string, signal?: AbortSignal): AsyncIterable<Int16Array>;
}

/** Marks, in the audio sent to a recognizer, that local VAD saw the speech end: finalise now. */
export const END_OF_SPEECH = Symbol('end-of-speech');
export type RecognizerInput = Int16Array | typeof END_OF_SPEECH;

/**
 * What a recognizer says about the audio. Times are milliseconds of audio since the stream began,
 * so they line up with the microphone's own clock whatever the network did.
 */
export type TranscriptEvent =
  | { type: 'speech-started'; atMs: number }
  | { type: 'transcript-partial'; text: string; startMs: number; endMs: number }
  | { type: 'transcript-final'; text: string; startMs: number; endMs: number; speechFinal: boolean }
  | { type: 'utterance-end'; atMs: number };

/** An ear: 16 kHz mono PCM frames in, transcript events out as they are recognized. */
export interface SpeechRecognizer {
  readonly name: string;
  transcribe(audio: AsyncIterable<RecognizerInput>, signal?: AbortSignal): AsyncIterable<TranscriptEvent>;
}

import { END_OF_SPEECH } from './spec.js';
import type { RecognizerInput } from './spec.js';

/** Where a recognizer session takes its input: frames, the ends local VAD marked, the end of the stream. */
export interface RecognizerInputSink {
  /** True once the session has stopped: the rest of the input is not wanted. */
  stopped(): boolean;
  frame(frame: Int16Array): void | Promise<void>;
  endOfSpeech(): void;
  endOfInput(): void;
  failed(error: unknown): void;
}

/** Reads a recognizer's input into the sink until the input ends, fails, or the session stops. Empty frames are skipped. */
export async function feedRecognizer(audio: AsyncIterable<RecognizerInput>, sink: RecognizerInputSink): Promise<void> {
  try {
    for await (const item of audio) {
      if (sink.stopped()) return;
      if (item === END_OF_SPEECH) sink.endOfSpeech();
      else if (item.length > 0) await sink.frame(item);
    }
    if (!sink.stopped()) sink.endOfInput();
  } catch (error) {
    sink.failed(error);
  }
}

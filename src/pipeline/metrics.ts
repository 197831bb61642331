/**
 * Per-turn timings of the voice pipeline. Every mark is a `performance.now()` reading (ms), so marks
 * taken by different stages line up; a stage that did not happen leaves its mark unset.
 */
export interface TurnMarks {
  /** The candidate's voice ended: the end of the last frame the VAD heard as speech. */
  speechEndedAt?: number;
  /** The recognizer's final transcript for the utterance arrived. */
  sttFinalAt?: number;
  /** The turn detector decided the candidate was done. */
  endpointedAt?: number;
  /** The interviewer's reply was requested from the LLM. */
  llmStartedAt?: number;
  /** The brain's first text reached the voice. LLM brains release whole sentences (their output
   * guard), so this is the first sentence, not the first token. */
  llmFirstTextAt?: number;
  /** The first chunk of the reply was complete and sent to the voice. */
  ttsStartedAt?: number;
  ttsFirstAudioAt?: number;
  /** The first sample of the reply was written to the output device. */
  firstSampleAt?: number;
}

/** A barge-in: the candidate spoke while the interviewer did. */
export interface InterruptionMarks {
  /** The VAD's speech-start became known (the end of the frame that raised it). */
  onsetAt: number;
  /** Where the speech truly began, when the caller knows (a benchmark with a clean clip). */
  trueOnsetAt?: number;
  /** The output's gain dropped (the first ducked sample is heard). */
  duckedAt?: number;
  /** The output fell silent: paused or stopped, whichever came first (when its last sample is heard). */
  silencedAt?: number;
  /** Confirmed: playback killed, queue dropped, TTS and LLM aborted. */
  stoppedAt?: number;
  /** Not confirmed: the volume came back and the interviewer carried on. */
  resumedAt?: number;
}

export interface TurnMetrics {
  endpointingMs?: number;
  sttFinalMs?: number;
  llmFirstTextMs?: number;
  ttsFirstAudioMs?: number;
  voiceToVoiceMs?: number;
}

const span = (from: number | undefined, to: number | undefined) => (from === undefined || to === undefined ? undefined : to - from);

/** The durations a person tuning the pipeline asks about, from a turn's marks. */
export function turnMetrics(marks: TurnMarks): TurnMetrics {
  return {
    endpointingMs: span(marks.speechEndedAt, marks.endpointedAt),
    sttFinalMs: span(marks.speechEndedAt, marks.sttFinalAt),
    llmFirstTextMs: span(marks.llmStartedAt, marks.llmFirstTextAt),
    ttsFirstAudioMs: span(marks.ttsStartedAt, marks.ttsFirstAudioAt),
    voiceToVoiceMs: span(marks.speechEndedAt, marks.firstSampleAt),
  };
}

export interface InterruptionMetrics {
  onsetToDuckMs?: number;
  onsetToSilenceMs?: number;
  onsetToStopMs?: number;
  /** The same two, from the true onset when it is known. */
  trueOnsetToDuckMs?: number;
  trueOnsetToSilenceMs?: number;
}

export function interruptionMetrics(marks: InterruptionMarks): InterruptionMetrics {
  return {
    onsetToDuckMs: span(marks.onsetAt, marks.duckedAt),
    onsetToSilenceMs: span(marks.onsetAt, marks.silencedAt),
    onsetToStopMs: span(marks.onsetAt, marks.stoppedAt),
    trueOnsetToDuckMs: span(marks.trueOnsetAt, marks.duckedAt),
    trueOnsetToSilenceMs: span(marks.trueOnsetAt, marks.silencedAt),
  };
}

/** The q-th quantile (0..1) by the nearest-rank method; undefined for no values. */
export function quantile(values: number[], q: number): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = values.toSorted((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

import { playerFactory } from '../audio/output.js';
import { concatPcm } from '../core/pcm.js';
import { Microphone } from '../audio/microphone.js';
import { loadVad } from '../audio/vad.js';
import type { VoiceActivityDetector } from '../audio/vad.js';
import { errorMessage, VettaError } from '../core/errors.js';
import type { TurnTimings } from '../interview/state.js';
import { EchoCanceller } from '../pipeline/echo.js';
import { turnMetrics } from '../pipeline/metrics.js';
import type { TurnMarks } from '../pipeline/metrics.js';
import { SpokenOutput } from '../pipeline/spoken-output.js';
import { turnTimeline, VoiceTurnTaker } from '../pipeline/turn-taker.js';
import type { CandidateUtterance } from '../pipeline/turn-taker.js';
import type { EndpointingOptions } from '../pipeline/turn-detection.js';
import type { SpeechRecognizer } from '../providers/spec.js';
import type { VoiceEntry } from '../replay/recording.js';
import type { CliContext } from './context.js';
import type { PracticeSession } from './practice-session.js';
import { chooseRecognizer, chooseVoice } from './provider-choice.js';
import type { RecognizerFlags, VoiceFlags } from './provider-choice.js';

/** off: text only (--text, a script, a pipe); auto: voice where the parts are there; insist: --voice. */
export type VoiceMode = 'off' | 'auto' | 'insist';

export interface VoiceOptions extends VoiceFlags, RecognizerFlags {
  inputDevice?: string;
  outputDevice?: string;
}

/** The interviewer's side of a spoken interview. */
export interface Speaking {
  /** Null when the interviewer is read, not heard. */
  output: SpokenOutput | null;
  echo: EchoCanceller;
  /** What is used or what is missing, in one line; null in text mode. */
  note: string | null;
  /** Resolves when the interviewer's first sample has been written to the output. */
  firstSound: Promise<void>;
  /** Where what is spoken is recorded (chunks, playback starts and stops), once there is a recording. */
  recorder: VoiceRecorder | null;
  close(): Promise<void>;
}

/** The candidate's side: without a recognizer it still hears them start, to stop the voice. */
export interface Listening {
  microphone: Microphone;
  detector: VoiceActivityDetector;
  recognizer: SpeechRecognizer | null;
}

/**
 * The interviewer's voice, when a voice and an output are there. `insist` fails, naming what is
 * missing; `auto` settles for text and says why.
 */
export async function setUpSpeaking(mode: VoiceMode, options: VoiceOptions, ctx: CliContext, onError: (error: Error) => void): Promise<Speaking> {
  const echo = new EchoCanceller();
  let sounded: () => void = () => {};
  const firstSound = new Promise<void>((resolve) => (sounded = resolve));
  if (mode === 'off') return { output: null, echo, note: null, firstSound, recorder: null, close: async () => {} };
  let missing: string;
  let closeVoice = async () => {};
  try {
    const choice = chooseVoice(options.tts ? { tts: options.tts } : {}, ctx);
    closeVoice = choice.close;
    if (!choice.provider) missing = `no voice (${choice.description})`;
    else {
      // Fail now, not mid-interview, when there is no output: 10 ms of silence must play.
      const players = await playerFactory({ ...(options.outputDevice ? { device: options.outputDevice } : {}), env: ctx.env });
      await players.first.write(new Int16Array(160));
      await players.first.end();
      let turn = 0;
      const speaking: Speaking = {
        output: null,
        echo,
        note: `the interviewer speaks: ${choice.description}, through ${players.description}`,
        firstSound,
        recorder: null,
        close: closeVoice,
      };
      speaking.output = new SpokenOutput(choice.provider, players.open, onError, {
        onPlayed: (samples, at) => {
          sounded();
          echo.played(samples, at);
        },
        onSpoken: (event) => {
          if (event.type === 'started') turn++;
          if (event.type === 'chunk') speaking.recorder?.voice({ type: 'spoken_chunk', turn, text: event.text });
          else speaking.recorder?.voice({ type: 'playback', state: event.type, ...(event.type === 'stopped' ? { reason: event.reason } : {}) });
        },
      });
      return speaking;
    }
  } catch (e) {
    missing = `no audio output (${errorMessage(e)})`;
  }
  await closeVoice();
  if (mode === 'insist')
    throw new VettaError('invalid_input', `--voice: the interviewer cannot speak: ${missing}; run "vetta doctor", or leave out --voice to practise in text`);
  return { output: null, echo, note: `text only: ${missing}`, firstSound, recorder: null, close: async () => {} };
}

/** The microphone, the VAD and a recognizer, as far as they are there; the note says what is used or missing. */
export async function setUpListening(options: VoiceOptions, ctx: CliContext): Promise<{ listening: Listening | null; note: string }> {
  let detector: VoiceActivityDetector;
  let microphone: Microphone;
  try {
    detector = await loadVad();
    microphone = await Microphone.open({ ...(options.inputDevice ? { device: options.inputDevice } : {}), env: ctx.env, frameSamples: detector.frameSamples });
  } catch (e) {
    return { listening: null, note: `you type: ${errorMessage(e)}` };
  }
  const ear = chooseRecognizer(options.stt ? { stt: options.stt } : {}, ctx);
  return {
    listening: { microphone, detector, recognizer: ear.provider },
    note: ear.provider ? `it listens: ${ear.description}` : `it hears you start to speak (and stops talking), but understands typing only: ${ear.description}`,
  };
}

const relativeTo = (origin: number | undefined, marks: TurnMarks): TurnMarks | undefined => {
  if (origin === undefined) return undefined;
  return Object.fromEntries(Object.entries(marks).flatMap(([k, v]) => (typeof v === 'number' ? [[k, v - origin]] : []))) as TurnMarks;
};

/**
 * The spoken side of a practice interview: what the candidate says goes to the interview as if typed;
 * talking over the interviewer cuts it off, and the interview learns what had been heard; each
 * spoken turn's timings are kept with the session. Ends when `signal` aborts, or when the microphone
 * fails, which leaves the interview going on typed.
 */
export async function converse(
  session: PracticeSession,
  listening: Listening,
  speaking: Speaking,
  endpointing: Partial<EndpointingOptions>,
  notice: (message: string) => void,
  signal: AbortSignal,
  recorder?: VoiceRecorder,
): Promise<void> {
  const audio = recorder ? new AudioBatches(recorder) : null;
  const taker = new VoiceTurnTaker({
    detector: listening.detector,
    recognizer: listening.recognizer,
    output: speaking.output,
    echo: speaking.echo,
    endpointing,
    ...(audio ? { onHeard: (frame: Int16Array) => audio.push(frame) } : {}),
  });
  const frames = listening.microphone.frames(signal);
  let toldToType = false;
  try {
    for await (const event of taker.run(frames, signal)) {
      switch (event.type) {
        case 'speech-started':
          session.transcript.setHearing('');
          break;
        case 'transcript-partial':
          session.transcript.setHearing(event.text);
          recorder?.voice({ type: 'transcript', final: false, text: event.text, startMs: taker.heardMs(), endMs: taker.heardMs() });
          break;
        case 'likely-utterance':
          // The interviewer is idle and the candidate has probably finished: its reply may start now.
          if (session.idle) session.interview.anticipate(event.text);
          break;
        case 'utterance': {
          session.transcript.setHearing(null);
          const { utterance } = event;
          recorder?.voice({ type: 'transcript', final: true, text: utterance.text, startMs: utterance.audio.startMs, endMs: utterance.audio.endMs });
          if (!utterance.text.trim()) {
            if (!listening.recognizer && !toldToType)
              notice('I hear you, but without a recognizer I cannot understand speech: please type (see "vetta doctor")');
            toldToType = true;
            break;
          }
          timeReply(session, utterance);
          void session.perform({ kind: 'say', text: utterance.text }).catch((e: Error) => notice(e.message));
          break;
        }
        case 'interrupted': {
          session.transcript.setHearing('');
          if (event.interruptedAt) session.interview.interrupted(event.interruptedAt.spokenText);
          recorder?.voice({ type: 'interruption', by: 'speech', spokenChars: event.interruptedAt?.spokenText.length ?? 0 });
          const { onsetAt, duckedAt, silencedAt } = event.marks;
          const timings: TurnTimings = {};
          if (duckedAt !== undefined) timings.duckMs = duckedAt - onsetAt;
          if (silencedAt !== undefined) timings.silenceMs = silencedAt - onsetAt;
          session.interview.timed(timings);
          break;
        }
        case 'resumed':
          session.transcript.setHearing(null);
          break;
      }
    }
  } catch (e) {
    if (!signal.aborted) notice(`${errorMessage(e)}; the interview goes on typed`);
  } finally {
    audio?.flush();
    session.transcript.setHearing(null);
  }
}

/** Where a recording keeps the spoken side: transcripts, interruptions and the candidate's audio. */
export interface VoiceRecorder {
  voice(entry: Exclude<VoiceEntry, { type: 'audio' }>): void;
  audio(pcm: Int16Array): void;
}

/** About a second of audio a line in the recording, not a line a frame. */
const AUDIO_BATCH_SAMPLES = 16_000;

/** Gathers the heard frames into batches for the recorder. */
class AudioBatches {
  private batch: Int16Array[] = [];
  private samples = 0;

  constructor(private readonly recorder: VoiceRecorder) {}

  push(frame: Int16Array): void {
    // A copy: a microphone may reuse its frame's buffer.
    this.batch.push(frame.slice());
    this.samples += frame.length;
    if (this.samples >= AUDIO_BATCH_SAMPLES) this.flush();
  }

  flush(): void {
    if (this.samples === 0) return;
    this.recorder.audio(concatPcm(this.batch));
    this.batch = [];
    this.samples = 0;
  }
}

/** When the reply to this utterance has been heard, its timings go to the session. */
function timeReply(session: PracticeSession, utterance: CandidateUtterance): void {
  const stop = session.onSpeech((outcome) => {
    stop();
    void outcome.then(({ marks }) => {
      const timeline = turnTimeline(utterance, marks);
      const relative = relativeTo(timeline.speechEndedAt, timeline);
      session.interview.timed({ ...turnMetrics(timeline), ...(relative ? { marks: relative } : {}) });
    });
  });
}

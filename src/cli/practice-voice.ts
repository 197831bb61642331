import { playerFactory } from '../audio/output.js';
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
import type { CliContext } from './main.js';
import type { PracticeSession } from './practice-session.js';
import { chooseRecognizer, chooseVoice } from './provider-choice.js';
import type { RecognizerFlags, VoiceFlags } from './provider-choice.js';

/** off: text only (--text, a script, a pipe); auto: voice where the parts are there; insist: --voice. */
export type VoiceMode = 'off' | 'auto' | 'insist';

export interface VoiceOptions extends VoiceFlags, RecognizerFlags {
  inputDevice?: string;
  outputDevice?: string;
  /** Listen to the microphone (not when a script is the candidate). */
  listen: boolean;
}

/** The parts of a spoken interview that could be set up, and what could not. */
export interface VoiceSetup {
  /** The interviewer's voice; null when it is read, not heard. */
  output: SpokenOutput | null;
  /** The candidate's side; null when they type. Without a recogniser it still hears them start, to stop the voice. */
  listening: { microphone: Microphone; detector: VoiceActivityDetector; recognizer: SpeechRecognizer | null } | null;
  echo: EchoCanceller;
  /** One line each: what is used, what is missing and what to do about it. */
  notes: string[];
  close(): Promise<void>;
}

const NOTHING: VoiceSetup = { output: null, listening: null, echo: new EchoCanceller(), notes: [], close: async () => {} };

/**
 * Sets up whatever of the voice exists: the interviewer speaks when a voice and an output are there,
 * and listens when a microphone and the VAD are. `insist` fails, naming everything that is missing,
 * when the interviewer cannot speak.
 */
export async function setUpVoice(mode: VoiceMode, options: VoiceOptions, ctx: CliContext, onError: (error: Error) => void): Promise<VoiceSetup> {
  if (mode === 'off') return NOTHING;
  const missing: string[] = [];
  const notes: string[] = [];
  const echo = new EchoCanceller();

  let output: SpokenOutput | null = null;
  let closeVoice = async () => {};
  try {
    const choice = chooseVoice(options.tts ? { tts: options.tts } : {}, ctx);
    closeVoice = choice.close;
    if (!choice.voice) missing.push(`no voice (${choice.description})`);
    else {
      // Fail now, not mid-interview, when there is no output: 10 ms of silence must play.
      const players = await playerFactory({ ...(options.outputDevice ? { device: options.outputDevice } : {}), env: ctx.env });
      const probe = players.open();
      await probe.write(new Int16Array(160));
      await probe.end();
      output = new SpokenOutput(choice.voice, players.open, onError, { onPlayed: (samples, at) => echo.played(samples, at) });
      notes.push(`the interviewer speaks: ${choice.description}, through ${players.description}`);
    }
  } catch (e) {
    missing.push(`no audio output (${errorMessage(e)})`);
  }

  let listening: VoiceSetup['listening'] = null;
  const unheard: string[] = [];
  let detector: VoiceActivityDetector | null = null;
  if (!options.listen) unheard.push('the script speaks for you');
  else {
    try {
      detector = await loadVad();
    } catch (e) {
      unheard.push(errorMessage(e));
    }
  }
  let microphone: Microphone | null = null;
  if (detector) {
    try {
      microphone = await Microphone.open({ ...(options.inputDevice ? { device: options.inputDevice } : {}), env: ctx.env, frameSamples: detector.frameSamples });
    } catch (e) {
      unheard.push(errorMessage(e));
    }
  }
  if (detector && microphone) {
    const ear = chooseRecognizer(options.stt ? { stt: options.stt } : {}, ctx);
    listening = { microphone, detector, recognizer: ear.recognizer };
    notes.push(ear.recognizer ? `it listens: ${ear.description}` : `it hears you start to speak (and stops talking), but understands typing only: ${ear.description}`);
  } else notes.push(`you type: ${unheard.join('; ')}`);

  if (!output) listening?.microphone.close();
  if (!output && mode === 'insist') {
    await closeVoice();
    throw new VettaError('invalid_input', `--voice: the interviewer cannot speak: ${missing.join('; ')}; run "vetta doctor", or leave out --voice to practise in text`);
  }
  if (!output) {
    // Auto: a listening-only interview is no spoken interview.
    await closeVoice();
    return { ...NOTHING, notes: [`text only: ${missing.join('; ')}`] };
  }
  return { output, listening, echo, notes, close: closeVoice };
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
export async function converse(session: PracticeSession, setup: VoiceSetup, endpointing: Partial<EndpointingOptions>, notice: (message: string) => void, signal: AbortSignal): Promise<void> {
  const { listening, output } = setup;
  if (!listening) return;
  const taker = new VoiceTurnTaker({ detector: listening.detector, recognizer: listening.recognizer, output, echo: setup.echo, endpointing });
  let toldToType = false;
  try {
    for await (const event of taker.run(listening.microphone.frames(signal), signal)) {
      switch (event.type) {
        case 'speech-started':
          session.transcript.setHearing('');
          break;
        case 'transcript-partial':
          session.transcript.setHearing(event.text);
          break;
        case 'utterance': {
          session.transcript.setHearing(null);
          const { utterance } = event;
          if (!utterance.text.trim()) {
            if (!listening.recognizer && !toldToType) notice('I hear you, but without a recogniser I cannot understand speech: please type (see "vetta doctor")');
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
    session.transcript.setHearing(null);
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

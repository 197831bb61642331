import { loadVad } from '../../src/audio/vad.ts';
import { EchoCanceller } from '../../src/pipeline/echo.ts';
import { SpokenOutput } from '../../src/pipeline/spoken-output.ts';
import { VoiceTurnTaker } from '../../src/pipeline/turn-taker.ts';
import type { TurnEvent, VoiceTurnTakerOptions } from '../../src/pipeline/turn-taker.ts';
import { DeepgramStt } from '../../src/providers/deepgram/stt.ts';
import { ElevenLabsTts } from '../../src/providers/elevenlabs/tts.ts';
import { EspeakTts } from '../../src/providers/espeak/tts.ts';
import type { SpeechSynthesizer } from '../../src/providers/spec.ts';
import { startFakeDeepgram } from '../fakes/deepgram-server.ts';
import type { FakeDeepgram } from '../fakes/deepgram-server.ts';
import { BENCHMARK_PROFILE, FAKE_ELEVENLABS_KEY, startFakeElevenLabs } from '../fakes/elevenlabs-server.ts';
import type { FakeElevenLabs } from '../fakes/elevenlabs-server.ts';
import { Room } from './room.ts';
import type { Echo } from './room.ts';

/**
 * Test and bench equipment: the real pipeline (SpokenOutput, EchoCanceller, VoiceTurnTaker, Silero
 * VAD, the Deepgram and ElevenLabs adapters) in a Room, with the loopback fakes as the cloud.
 */
export interface RigOptions {
  /** `espeak` speaks like a person (the echo tests need that: Silero hears the fake's tones as no speech). */
  voice?: 'elevenlabs' | 'espeak';
  /** What the fake recognizer hears every word as. */
  vocabulary?: string[];
  sttLatencyMs?: number;
  echoCanceller?: boolean;
  seconds?: number;
  turnTaker?: Partial<VoiceTurnTakerOptions>;
}

export interface Rig {
  room: Room;
  output: SpokenOutput;
  turnTaker: VoiceTurnTaker;
  echo: EchoCanceller | null;
  errors: Error[];
  /** Opens the voice's connection, as the first sentence of a session would. */
  warmUp(): Promise<void>;
  /** Runs the microphone through the turn taker, collecting its events until the mic ends. */
  listen(
    options: { candidate?: { samples: Int16Array; atSample: number }[]; echo?: Echo | null; seconds?: number },
    onEvent?: (event: TurnEvent) => void,
  ): Promise<TurnEvent[]>;
  close(): Promise<void>;
}

export async function startRig(options: RigOptions = {}): Promise<Rig> {
  const deepgram: FakeDeepgram = await startFakeDeepgram({ vocabulary: options.vocabulary ?? ['fine'], latencyMs: options.sttLatencyMs ?? 150 });
  let elevenlabs: FakeElevenLabs | null = null;
  let voice: SpeechSynthesizer;
  if (options.voice === 'espeak') {
    const espeak = EspeakTts.detect();
    if (typeof espeak === 'string') throw new Error(espeak);
    voice = espeak;
  } else {
    elevenlabs = await startFakeElevenLabs(BENCHMARK_PROFILE);
    voice = new ElevenLabsTts({ apiKey: FAKE_ELEVENLABS_KEY, baseUrl: elevenlabs.url, connectTimeoutMs: 15_000, audioTimeoutMs: 15_000 });
  }
  const detector = await loadVad();
  const room = new Room(options.seconds ?? 12);
  const echo = options.echoCanceller === false ? null : new EchoCanceller();
  const errors: Error[] = [];
  const output = new SpokenOutput(voice, room.openPlayer, (e) => errors.push(e), { onPlayed: (samples, at) => echo?.played(samples, at) });
  const recognizer = new DeepgramStt({ apiKey: 'fake-key', baseUrl: deepgram.url });
  const turnTaker = new VoiceTurnTaker({ detector, recognizer, output, echo, ...options.turnTaker });
  return {
    room,
    output,
    turnTaker,
    echo,
    errors,
    async warmUp() {
      for await (const samples of voice.synthesize('Hello.')) void samples;
    },
    async listen(listenOptions, onEvent) {
      const events: TurnEvent[] = [];
      for await (const event of turnTaker.run(room.microphone(listenOptions))) {
        events.push(event);
        onEvent?.(event);
      }
      return events;
    },
    async close() {
      output.interrupt();
      if (voice instanceof ElevenLabsTts) await voice.close();
      await deepgram.close();
      await elevenlabs?.close();
    },
  };
}

/** What the interviewer says in these tests: long enough to be talking when the candidate cuts in. */
export const INTERVIEWER_TEXT =
  'Let me tell you about this problem. You are given two strings, and you need to decide whether one is an anagram of the other. ' +
  'Think about what that means for the letter counts. Take your time, and tell me your first idea when you have one. ';

import { VettaError } from '../core/errors.js';
import { sleep } from '../core/abort.js';
import { loadAddon, probeAddon } from './addons.js';
import { pulseDevices } from './devices.js';
import { SAMPLE_RATE } from '../core/pcm.js';
import type { PcmPlayer } from './player.js';
import { SubprocessPlayer } from './player.js';

/** The parts of speaker's Writable that are used: it opens lazily unless _open() is called. */
interface SpeakerStream {
  _open(): unknown;
  write(chunk: Buffer, callback: (error?: Error | null) => void): boolean;
  close(flush: boolean): void;
  on(event: 'error', listener: (error: Error) => void): unknown;
}
type SpeakerClass = new (options: { channels: number; sampleRate: number; bitDepth: number; signed: boolean; device?: string }) => SpeakerStream;

/** How far ahead of playback the device is fed: enough to ride out a late timer, little enough to stop fast. */
const LEAD_MS = 80;
/** The size of each write: 20 ms of audio. */
const SLICE_SAMPLES = SAMPLE_RATE / 50;
const SLICE_MS = (SLICE_SAMPLES / SAMPLE_RATE) * 1000;

/**
 * Plays through the speaker addon (ALSA). speaker gives the device a fixed 0.5 s buffer, and
 * whatever sits in it keeps sounding after a stop; so audio goes in 20 ms slices paced by the
 * clock, at most LEAD_MS ahead of what has played, and stop() drops that little and closes.
 */
export class SpeakerPlayer implements PcmPlayer {
  /** performance.now() at which everything written so far will have played. */
  private playedBy = 0;
  private writing = false;
  private stopped = false;
  private closed = false;
  private failure: Error | undefined;

  private constructor(private readonly speaker: SpeakerStream) {
    speaker.on('error', (error) => (this.failure = error));
  }

  /** Opens the ALSA device (a PulseAudio sink is reached as "pulse:NAME"); throws when it cannot be opened. */
  static open(Speaker: SpeakerClass, alsaDevice?: string): SpeakerPlayer {
    const speaker = new Speaker({ channels: 1, sampleRate: SAMPLE_RATE, bitDepth: 16, signed: true, ...(alsaDevice ? { device: alsaDevice } : {}) });
    speaker._open();
    return new SpeakerPlayer(speaker);
  }

  async write(samples: Int16Array): Promise<void> {
    for (let at = 0; at < samples.length && !this.stopped; at += SLICE_SAMPLES) {
      const ahead = this.playedBy - performance.now();
      if (ahead > LEAD_MS) await sleep(ahead - LEAD_MS);
      if (this.stopped) return;
      const slice = samples.subarray(at, at + SLICE_SAMPLES);
      await this.writeSlice(Buffer.from(slice.buffer, slice.byteOffset, slice.byteLength));
      // Behind (an underrun, or the first write): the slice starts playing now.
      this.playedBy = Math.max(this.playedBy, performance.now()) + (slice.length / SAMPLE_RATE) * 1000;
    }
  }

  /** Waits until what was written has played, then closes the device. */
  async end(): Promise<void> {
    const remaining = this.playedBy - performance.now();
    if (remaining > 0 && !this.stopped) await sleep(remaining + SLICE_MS);
    this.close();
  }

  /** Silence now: the little that is in the device is dropped. */
  stop(): void {
    this.stopped = true;
    // Closing while the addon's worker thread is inside a write would free the device under it.
    if (!this.writing) this.close();
  }

  private writeSlice(bytes: Buffer): Promise<void> {
    if (this.failure) return Promise.reject(outputLost(this.failure));
    this.writing = true;
    return new Promise<void>((resolve, reject) => {
      this.speaker.write(bytes, (error) => {
        this.writing = false;
        if (this.stopped) this.close();
        // A write cut short by stop() is not a failure: the silence was asked for.
        if (error && !this.stopped) reject(outputLost(error));
        else resolve();
      });
    });
  }

  private close(): void {
    if (this.closed) return;
    this.closed = true;
    this.speaker.close(true);
  }
}

function outputLost(error: Error): VettaError {
  return new VettaError('io', `the audio output stopped (speaker: ${error.message}); check the output device, run "vetta devices", or use --tts none`, {
    cause: error,
  });
}

export interface PlayerChoice {
  player: PcmPlayer;
  /** Which path plays, for the user and for doctor: "speaker (ALSA pulse:vetta)" or "pacat". */
  description: string;
  /** Why the speaker addon is not used, when it is not. */
  speakerUnavailable?: string;
}

export interface OpenPlayerOptions {
  /** A PulseAudio sink or ALSA device from `vetta devices`; the default output when absent. */
  device?: string;
  /** For the player program. The addon plays inside this process, so it always sees process.env. */
  env?: NodeJS.ProcessEnv;
  /** `subprocess` skips the addon. */
  prefer?: 'speaker' | 'subprocess';
}

let speakerClass: SpeakerClass | undefined;

/** The ALSA name of a device: a PulseAudio sink is reached through ALSA's pulse plugin. */
async function alsaDeviceFor(device: string | undefined): Promise<string | undefined> {
  if (!device) return undefined;
  const pulse = await pulseDevices(process.env);
  return pulse?.sinks.includes(device) ? `pulse:${device}` : device;
}

/**
 * The speaker addon when it loads and its device opens (probed in a child first: loading it with no
 * ALSA device aborts the process), else a player program.
 */
export async function openPlayer(options: OpenPlayerOptions = {}): Promise<PlayerChoice> {
  const env = options.env ?? process.env;
  let speakerUnavailable: string | undefined;
  if (options.prefer !== 'subprocess') {
    const probe = speakerClass ? true : await probeAddon('speaker', process.env);
    if (probe === true) {
      speakerClass ??= loadAddon<SpeakerClass>('speaker');
      const alsaDevice = await alsaDeviceFor(options.device);
      try {
        return { player: SpeakerPlayer.open(speakerClass, alsaDevice), description: `speaker (ALSA ${alsaDevice ?? 'default'})` };
      } catch (error) {
        speakerUnavailable = `${alsaDevice ?? 'default'} does not open: ${(error as Error).message}`;
      }
    } else {
      speakerUnavailable = probe;
    }
  }
  const player = SubprocessPlayer.open(env, options.device);
  return { player, description: player.name, ...(speakerUnavailable ? { speakerUnavailable } : {}) };
}

/** Opens a player per use, the choice made (and the addon probed) once: a voice opens one per turn. */
export interface PlayerFactory {
  open(): PcmPlayer;
  /** The player opened while choosing, for a first use (a check that the output plays). */
  first: PcmPlayer;
  description: string;
  speakerUnavailable?: string;
}

export async function playerFactory(options: OpenPlayerOptions = {}): Promise<PlayerFactory> {
  const choice = await openPlayer(options);
  const env = options.env ?? process.env;
  if (choice.player instanceof SpeakerPlayer && speakerClass) {
    const speaker = speakerClass;
    const alsaDevice = await alsaDeviceFor(options.device);
    return { open: () => SpeakerPlayer.open(speaker, alsaDevice), first: choice.player, description: choice.description };
  }
  return {
    open: () => SubprocessPlayer.open(env, options.device),
    first: choice.player,
    description: choice.description,
    ...(choice.speakerUnavailable ? { speakerUnavailable: choice.speakerUnavailable } : {}),
  };
}

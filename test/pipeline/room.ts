import type { PcmPlayer } from '../../src/audio/player.ts';

/**
 * Test and bench equipment: a room on a real-time sample clock (16 kHz from the room's creation).
 * Speakers opened in it play onto one track the way a device does: a write is heard from the later
 * of "now" and the end of what that speaker has queued; stop() silences everything not yet heard.
 * Its microphone hears, frame by frame in real time, the candidate's audio plus the speakers' track
 * fed back with a delay and an attenuation (the interviewer's echo, when there are no headphones).
 */
export const RATE = 16_000;
const FRAME = 512;

export interface Echo {
  delayMs: number;
  gainDb: number;
}

export class Room {
  readonly startedAt = performance.now();
  /** Everything the speakers played, on the room's clock. */
  readonly track: Float32Array;
  /** Every write to a speaker: when (room sample) it was written. */
  readonly writes: { atSample: number; heardFrom: number; samples: number }[] = [];

  constructor(readonly seconds: number) {
    this.track = new Float32Array(seconds * RATE);
  }

  /** The room's clock now, in samples. */
  nowSample(): number {
    return Math.floor(((performance.now() - this.startedAt) * RATE) / 1000);
  }

  /** performance.now() of a room sample. */
  timeOf(sample: number): number {
    return this.startedAt + (sample * 1000) / RATE;
  }

  openPlayer = (): PcmPlayer => new RoomSpeaker(this);

  /**
   * The room sample by which `samples` of speaker sound have been heard, once there are that many
   * (on a busy machine the voice may come in pieces with gaps between them), or null if the room
   * ends first (the voice stopped short).
   */
  async heardAfter(samples: number): Promise<number | null> {
    while (this.nowSample() < this.track.length) {
      let heard = 0;
      for (const w of this.writes) {
        if (heard + w.samples >= samples) return w.heardFrom + (samples - heard);
        heard += w.samples;
      }
      await new Promise((r) => setTimeout(r, 10));
    }
    return null;
  }

  /**
   * The microphone: frames of 512 samples, each delivered once the room's clock has passed its end,
   * until `seconds` have passed. `candidate` is placed at `atSample`.
   */
  async *microphone(
    options: { candidate?: { samples: Int16Array; atSample: number }[]; echo?: Echo | null; seconds?: number } = {},
    signal?: AbortSignal,
  ): AsyncGenerator<Int16Array> {
    // Read at every frame, like `candidate`: a test may place the candidate, and lengthen the
    // listening to fit, once it knows when the interviewer began.
    const total = () => Math.min(this.track.length, Math.round((options.seconds ?? this.seconds) * RATE));
    const gain = options.echo ? 10 ** (options.echo.gainDb / 20) : 0;
    const delay = options.echo ? Math.round((options.echo.delayMs * RATE) / 1000) : 0;
    for (let start = 0; start + FRAME <= total(); start += FRAME) {
      const dueMs = this.timeOf(start + FRAME) - performance.now();
      if (dueMs > 0) await new Promise((r) => setTimeout(r, dueMs));
      if (signal?.aborted) return;
      const frame = new Int16Array(FRAME);
      for (let i = 0; i < FRAME; i++) {
        const n = start + i;
        let value = 0;
        for (const c of options.candidate ?? []) value += c.samples[n - c.atSample] ?? 0;
        if (gain > 0 && n - delay >= 0) value += gain * this.track[n - delay]!;
        frame[i] = Math.max(-32768, Math.min(32767, Math.round(value)));
      }
      yield frame;
    }
  }

  /** RMS of the track over [from, to) samples. */
  level(from: number, to: number): number {
    let sum = 0;
    const a = Math.max(0, from);
    const b = Math.min(this.track.length, to);
    for (let i = a; i < b; i++) sum += this.track[i]! * this.track[i]!;
    return b > a ? Math.sqrt(sum / (b - a)) : 0;
  }

  /** The first sample at or after `from` from which the track stays silent (to the end, or for `forSamples`). */
  silentFrom(from: number, forSamples = this.track.length): number {
    let last = from - 1;
    const end = Math.min(this.track.length, from + forSamples);
    for (let i = from; i < end; i++) if (Math.abs(this.track[i]!) > 50) last = i;
    return last + 1;
  }

  /** The first sample at or after `from` whose 10 ms window is quieter than `ratio` times the 10 ms before `from`. */
  quieterFrom(from: number, ratio: number): number | undefined {
    const before = this.level(from - 160, from);
    for (let i = from; i + 160 <= this.track.length; i += 16) if (this.level(i, i + 160) < before * ratio) return i;
    return undefined;
  }
}

class RoomSpeaker implements PcmPlayer {
  private cursor = 0;
  private stopped = false;

  constructor(private readonly room: Room) {}

  async write(samples: Int16Array): Promise<void> {
    if (this.stopped) return;
    const now = this.room.nowSample();
    const from = Math.max(this.cursor, now);
    this.room.writes.push({ atSample: now, heardFrom: from, samples: samples.length });
    for (let i = 0; i < samples.length && from + i < this.room.track.length; i++) this.room.track[from + i]! += samples[i]!;
    this.cursor = from + samples.length;
  }

  async end(): Promise<void> {
    const remainingMs = ((this.cursor - this.room.nowSample()) * 1000) / RATE;
    if (remainingMs > 0) await new Promise((r) => setTimeout(r, remainingMs));
  }

  /** What was queued and not yet heard is dropped. */
  stop(): void {
    this.stopped = true;
    const now = this.room.nowSample();
    // Samples before `now` reached the microphone already; the rest never sounds.
    for (let i = now; i < this.cursor && i < this.room.track.length; i++) this.room.track[i] = 0;
  }
}

/**
 * Vetta's internal audio format: 16 kHz, mono, signed 16-bit little-endian PCM. Providers and
 * devices that differ are converted at the edge.
 */
export const SAMPLE_RATE = 16_000;

/**
 * Linear-interpolation resampling that keeps its place across chunks. Each output sample's input
 * position is computed from running totals, not accumulated, so any chunking gives the same samples.
 */
export class Resampler {
  private produced = 0;
  /** Input samples dropped from the front of `carry` so far. */
  private dropped = 0;
  private carry = new Int16Array(0);

  constructor(
    readonly fromRate: number,
    readonly toRate: number = SAMPLE_RATE,
  ) {}

  push(input: Int16Array): Int16Array {
    if (this.fromRate === this.toRate) return input;
    const samples = new Int16Array(this.carry.length + input.length);
    samples.set(this.carry);
    samples.set(input, this.carry.length);
    const out: number[] = [];
    for (;;) {
      const position = (this.produced * this.fromRate) / this.toRate - this.dropped;
      const i = Math.floor(position);
      if (i + 1 >= samples.length) break;
      const frac = position - i;
      out.push(Math.round(samples[i]! * (1 - frac) + samples[i + 1]! * frac));
      this.produced++;
    }
    const keepFrom = Math.max(0, Math.floor((this.produced * this.fromRate) / this.toRate - this.dropped));
    this.carry = samples.slice(keepFrom);
    this.dropped += keepFrom;
    return Int16Array.from(out);
  }
}

/**
 * Raw s16le mono bytes as a stream delivers them, at any rate, to samples at `toRate`. A piece may
 * end half-way through a sample: that byte waits for the next piece.
 */
export class PcmDecoder {
  private odd: Buffer = Buffer.alloc(0);
  private readonly resampler: Resampler;

  constructor(fromRate: number, toRate: number = SAMPLE_RATE) {
    this.resampler = new Resampler(fromRate, toRate);
  }

  push(bytes: Buffer): Int16Array {
    const joined = this.odd.length > 0 ? Buffer.concat([this.odd, bytes]) : bytes;
    this.odd = Buffer.from(joined.subarray(joined.length - (joined.length % 2)));
    return this.resampler.push(toInt16(joined));
  }
}

/** Root-mean-square level of a stretch of samples, 0 to 1. */
export function rms(samples: Int16Array): number {
  if (samples.length === 0) return 0;
  let sum = 0;
  for (const s of samples) sum += s * s;
  return Math.sqrt(sum / samples.length) / 32768;
}

export function toInt16(buffer: Buffer): Int16Array {
  const even = buffer.length - (buffer.length % 2);
  const copy = Buffer.from(buffer.subarray(0, even));
  return new Int16Array(copy.buffer, copy.byteOffset, even / 2);
}

/** The samples of several pieces, one after the other, in one array. */
export function concatPcm(parts: readonly Int16Array[]): Int16Array {
  const out = new Int16Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

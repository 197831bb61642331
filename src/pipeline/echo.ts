import { SAMPLE_RATE } from '../core/pcm.js';

export interface EchoCancellerOptions {
  /** The longest path from writing a sample to hearing it in the microphone (device buffers, air). */
  maxDelayMs?: number;
  /** How early the microphone's timestamps may be: frames arrive late and in bursts, so their
   * capture time is an estimate, and the echo may seem to come before the sound was played. */
  earlyMs?: number;
}

/** Reference kept: the longest delay plus a frame, with room to spare. */
const HISTORY_SAMPLES = 2 * SAMPLE_RATE;
/** The coarse delay search runs on 4:1 decimated audio. */
const DECIMATION = 4;
/** How much of the coarse search's evidence survives each frame: about a second's memory. */
const FORGET = 0.97;
/** Less reference than this in a frame (RMS, full scale 32768) is silence: nothing to cancel. */
const QUIET_RMS = 30;
/**
 * A frame the echo does not fit at one delay is tried in blocks of this many samples, each at its
 * own delay: when playback underruns, the echo's delay moves at that point, mid-frame perhaps.
 */
const BLOCK = 128;
/** Where a block may be split in two when its echo moved inside it. */
const SPLIT_STEP = 16;
/**
 * A residual above this share of the energy (-20 dB; a direct echo found cancels to -60 dB or
 * better) means the delay was missed (it moved) or someone else is speaking.
 */
const POOR_FIT = 0.01;
/** A block is split only if it alone leaves its frame above this share of the energy (-26 dB). */
const SPLIT_FIT = POOR_FIT / 4;

/**
 * Removes the interviewer's own voice from the microphone before the VAD and the recognizer hear
 * it, so the interviewer never interrupts itself when there are speakers instead of headphones.
 *
 * It knows what was played and when (`played`), finds the delay at which that reappears in the
 * microphone (a cross-correlation over 0..maxDelayMs: coarse on decimated audio with a second of
 * memory, then exact to the sample on the frame itself) and subtracts the reference at that delay,
 * scaled by its least-squares gain; when playback underran and the delay moved mid-frame, block by
 * block. The candidate's voice is uncorrelated with the reference and stays. This cancels the
 * direct path; a reverberant room leaves its reflections (-15 to -25 dB under the direct sound),
 * which docs/performance.md discusses.
 */
export class EchoCanceller {
  private readonly maxDelay: number;
  private readonly early: number;
  private readonly reference = new Float32Array(HISTORY_SAMPLES);
  /** performance.now() of clock position 0; positions index the reference ring modulo its length. */
  private origin: number | null = null;
  /** Reference written up to this clock position; later positions are silence. */
  private writtenUntil = 0;
  private coarse: Float64Array;
  private coarseEnergy: Float64Array;
  /** The last block's delay, in samples (negative: the microphone's clock runs early). */
  delaySamples: number | null = null;
  /** The last gain applied. */
  gain = 0;

  constructor(options: EchoCancellerOptions = {}) {
    const samples = (ms: number) => Math.round((ms * SAMPLE_RATE) / 1000 / DECIMATION) * DECIMATION;
    this.maxDelay = samples(options.maxDelayMs ?? 250);
    this.early = samples(options.earlyMs ?? 40);
    this.coarse = new Float64Array((this.maxDelay + this.early) / DECIMATION + 1);
    this.coarseEnergy = new Float64Array(this.coarse.length);
  }

  private position(atMs: number): number {
    this.origin ??= atMs;
    return Math.round(((atMs - this.origin) * SAMPLE_RATE) / 1000);
  }

  /** Samples sent to the speaker that will be heard from `playsAtMs` (performance.now()). */
  played(samples: Int16Array, playsAtMs: number): void {
    const start = this.position(playsAtMs);
    for (let p = Math.max(this.writtenUntil, start - HISTORY_SAMPLES); p < start; p++) this.reference[p % HISTORY_SAMPLES] = 0;
    for (let i = 0; i < samples.length; i++) {
      const p = start + i;
      if (p >= 0) this.reference[p % HISTORY_SAMPLES] = samples[i]!;
    }
    this.writtenUntil = Math.max(this.writtenUntil, start + samples.length);
  }

  /** Nothing written for after `atMs` will be heard: playback was stopped. */
  stopped(atMs: number): void {
    if (this.origin === null) return;
    this.writtenUntil = Math.min(this.writtenUntil, Math.max(0, this.position(atMs)));
  }

  private ref(p: number, until: number): number {
    return p < 0 || p >= until || p < until - HISTORY_SAMPLES ? 0 : this.reference[p % HISTORY_SAMPLES]!;
  }

  /**
   * A microphone frame whose last sample was captured at `capturedAtMs`; returns it with the
   * interviewer's voice removed (the frame itself when nothing was playing).
   */
  cancel(frame: Int16Array, capturedAtMs: number): Int16Array {
    if (this.origin === null) return frame;
    const end = this.position(capturedAtMs);
    const start = end - frame.length;
    const until = Math.min(this.writtenUntil, end + this.early);
    // The window holds the reference for every delay from -early to maxDelay: delay d puts the
    // source of mic sample n at window[maxDelay - d + n].
    const first = start - this.maxDelay;
    const window = new Float32Array(end + this.early - first);
    let energy = 0;
    for (let i = 0; i < window.length; i++) {
      const r = this.ref(first + i, until);
      window[i] = r;
      energy += r * r;
    }
    if (Math.sqrt(energy / window.length) < QUIET_RMS) {
      this.decay();
      return frame;
    }
    const coarseWindow = decimate(window);
    const whole = this.findDelay(frame, window, coarseWindow);
    // One delay for the frame, as almost always; when that leaves the frame above -20 dB, blocks
    // each at their own delay, kept only if they explain the frame: an echo whose delay moved
    // mid-frame (playback underran) does, a candidate speaking over the echo does not.
    let placed = [whole];
    const frameEnergy = whole.fit.blockEnergy;
    if (frameEnergy > QUIET_RMS * QUIET_RMS * frame.length && whole.fit.residual > POOR_FIT * frameEnergy) {
      const blocks = this.blockDelays(frame, window, coarseWindow, whole.delay, frameEnergy);
      if (blocks.reduce((sum, p) => sum + p.fit.residual, 0) <= POOR_FIT * frameEnergy) placed = blocks;
    }
    this.delaySamples = placed.at(-1)!.delay;
    const out = new Int16Array(frame.length);
    for (const [i, { from, delay, fit }] of placed.entries()) {
      const to = placed[i + 1]?.from ?? frame.length;
      this.gain = fit.refEnergy > 0 ? Math.max(-2, Math.min(2, fit.cross / fit.refEnergy)) : 0;
      const offset = this.maxDelay - delay;
      for (let n = from; n < to; n++) out[n] = Math.max(-32768, Math.min(32767, Math.round(frame[n]! - this.gain * window[offset + n]!)));
    }
    return out;
  }

  /** The frame in blocks, each at the delay that explains it best near the frame's or the block before's, or found again. */
  private blockDelays(frame: Int16Array, window: Float32Array, coarseWindow: Float32Array, frameDelay: number, frameEnergy: number): Placed[] {
    const placed: Placed[] = [];
    // The delay before this frame: a move in the frame starts from it.
    let delay = this.delaySamples ?? frameDelay;
    // The echo moves at most once in a frame, and a split costs every delay tried on the block.
    let split: [Placed, Placed] | null = null;
    for (let b = 0; b < frame.length; b += BLOCK) {
      const block = frame.subarray(b, b + BLOCK);
      let best = this.closest(block, window, b, [frameDelay, delay]);
      if (best.fit.residual > POOR_FIT * best.fit.blockEnergy) {
        const lags = strongestPeaks(this.lagScores(decimate(block), coarseWindow, b / DECIMATION), SHORTLIST).map(this.delayOfLag);
        best = this.closest(block, window, b, lags, best);
        if (!split && best.fit.residual > SPLIT_FIT * frameEnergy) {
          split = this.splitBlock(block, window, b, [frameDelay, delay, ...lags]);
          if (split[0].fit.residual + split[1].fit.residual < best.fit.residual) {
            placed.push(...split);
            delay = split[1].delay;
            continue;
          }
        }
      }
      delay = best.delay;
      placed.push(best);
    }
    return placed;
  }

  /**
   * A block whose echo moved inside it (playback ran dry and resumed later than the output
   * believed, by a fraction of a millisecond or tens of them): the split into two parts, each at
   * its own delay, that explains it best. The part before the move keeps a delay already known; the
   * part after it may be at any delay, and is often too short for the coarse search to find it, so
   * every delay is tried on it (one pass a delay, from the block's end, serves every split point).
   */
  private splitBlock(block: Int16Array, window: Float32Array, from: number, centres: number[]): [Placed, Placed] {
    const points = Math.floor((block.length - 1) / SPLIT_STEP);
    const after: (Placed | null)[] = new Array(points + 1).fill(null);
    const restEnergy = new Float64Array(points + 1);
    let energy = 0;
    for (let n = block.length - 1; n >= SPLIT_STEP; n--) {
      energy += block[n]! * block[n]!;
      if (n % SPLIT_STEP === 0) restEnergy[n / SPLIT_STEP] = energy;
    }
    for (let d = -this.early; d <= this.maxDelay; d++) {
      const offset = this.maxDelay - d + from;
      let cross = 0;
      let refEnergy = 0;
      for (let n = block.length - 1; n >= SPLIT_STEP; n--) {
        const r = window[offset + n]!;
        cross += block[n]! * r;
        refEnergy += r * r;
        if (n % SPLIT_STEP !== 0) continue;
        const k = n / SPLIT_STEP;
        const blockEnergy = restEnergy[k]!;
        const residual = residualOf(cross, refEnergy, blockEnergy);
        if (!after[k] || residual < after[k]!.fit.residual) after[k] = { from: from + n, delay: d, fit: { cross, refEnergy, blockEnergy, residual } };
      }
    }
    let best: [Placed, Placed] | null = null;
    for (let k = 1; k <= points; k++) {
      const left = this.closest(block.subarray(0, k * SPLIT_STEP), window, from, centres);
      const right = after[k]!;
      if (!best || left.fit.residual + right.fit.residual < best[0].fit.residual + best[1].fit.residual) best = [left, right];
    }
    return best!;
  }

  private decay(): void {
    for (let d = 0; d < this.coarse.length; d++) {
      this.coarse[d]! *= FORGET;
      this.coarseEnergy[d]! *= FORGET;
    }
  }

  /**
   * Coarse lag scores of decimated microphone audio starting `from` (decimated samples) into the
   * frame; lag d is the delay d * DECIMATION - early. `each` sees every lag's cross term and energy.
   */
  private lagScores(m: Float32Array, w: Float32Array, from: number, each?: (d: number, cross: number, energy: number) => void): Float64Array {
    const scores = new Float64Array(this.coarse.length);
    for (let d = 0; d < scores.length; d++) {
      const offset = (this.maxDelay - this.delayOfLag(d)) / DECIMATION + from;
      let cross = 0;
      let energy = 0;
      for (let k = 0; k < m.length; k++) {
        const r = w[offset + k] ?? 0;
        cross += m[k]! * r;
        energy += r * r;
      }
      scores[d] = energy > 0 ? (cross * cross) / energy : 0;
      each?.(d, cross, energy);
    }
    return scores;
  }

  /** Lag d of the coarse search is this delay in samples. */
  private readonly delayOfLag = (d: number) => d * DECIMATION - this.early;

  /**
   * Of the delays within the coarse search's step of each centre (or `best`, if none beats it),
   * the one whose reference explains `block`, at `from` in the frame, best.
   */
  private closest(block: Int16Array, window: Float32Array, from: number, centres: number[], best: Placed | null = null): Placed {
    for (const centre of centres) {
      for (let d = Math.max(-this.early, centre - DECIMATION); d <= Math.min(this.maxDelay, centre + DECIMATION); d++) {
        // Mic sample from + k at delay d comes from window[maxDelay - d + from + k].
        const fit = fitAt(block, window, this.maxDelay - d + from);
        if (!best || fit.residual < best.fit.residual) best = { from, delay: d, fit };
      }
    }
    return best!;
  }

  /** The delay at which the reference best explains the frame, and how well. */
  private findDelay(frame: Int16Array, window: Float32Array, w: Float32Array): Placed {
    const remembered = new Float64Array(this.coarse.length);
    const instant = this.lagScores(decimate(frame), w, 0, (d, cross, energy) => {
      this.coarse[d] = this.coarse[d]! * FORGET + cross;
      this.coarseEnergy[d] = this.coarseEnergy[d]! * FORGET + energy;
      const e = this.coarseEnergy[d]!;
      remembered[d] = e > 0 ? (this.coarse[d]! * this.coarse[d]!) / e : 0;
    });
    // Voiced speech correlates with itself a pitch period away, and decimation blurs the true
    // peak, so the coarse search only shortlists: the strongest peaks of this frame and of the
    // remembered evidence, and the delay found last time, each checked to the sample on the frame.
    const centres = new Set([...strongestPeaks(instant, SHORTLIST), ...strongestPeaks(remembered, SHORTLIST)].map(this.delayOfLag));
    if (this.delaySamples !== null) centres.add(this.delaySamples);
    return this.closest(frame, window, 0, [...centres]);
  }
}

/** Where a stretch of the frame begins, the delay its echo is subtracted at, and how well that fits. */
interface Placed {
  from: number;
  delay: number;
  fit: ReturnType<typeof fitAt>;
}

/**
 * The reference from `offset` in the window against a block of the microphone: their cross term,
 * the reference's energy, the block's, and what is left of the block after subtracting the
 * reference at its least-squares gain (the candidate's voice does not correlate with it, so it stays).
 */
function fitAt(block: Int16Array, window: Float32Array, offset: number): { cross: number; refEnergy: number; blockEnergy: number; residual: number } {
  let cross = 0;
  let refEnergy = 0;
  let blockEnergy = 0;
  for (let n = 0; n < block.length; n++) {
    const r = window[offset + n]!;
    const m = block[n]!;
    cross += m * r;
    refEnergy += r * r;
    blockEnergy += m * m;
  }
  return { cross, refEnergy, blockEnergy, residual: residualOf(cross, refEnergy, blockEnergy) };
}

/** What is left of a block's energy after subtracting the reference at its least-squares gain. */
function residualOf(cross: number, refEnergy: number, blockEnergy: number): number {
  return refEnergy > 0 ? blockEnergy - (cross * cross) / refEnergy : blockEnergy;
}

/** Coarse lags checked exactly, from each of the two searches. */
const SHORTLIST = 6;

/** The indices of the `count` highest local maxima. */
function strongestPeaks(scores: Float64Array, count: number): number[] {
  const peaks: number[] = [];
  for (let i = 0; i < scores.length; i++) {
    if ((i > 0 && scores[i - 1]! > scores[i]!) || (i + 1 < scores.length && scores[i + 1]! > scores[i]!)) continue;
    peaks.push(i);
  }
  return peaks.sort((a, b) => scores[b]! - scores[a]!).slice(0, count);
}

/** Averages of DECIMATION samples: enough low-passing for a delay search. */
function decimate(samples: ArrayLike<number>): Float32Array {
  const out = new Float32Array(Math.floor(samples.length / DECIMATION));
  for (let k = 0; k < out.length; k++) {
    let sum = 0;
    for (let j = 0; j < DECIMATION; j++) sum += samples[k * DECIMATION + j]!;
    out[k] = sum / DECIMATION;
  }
  return out;
}

import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { VettaError } from '../core/errors.js';
import { findOnPath } from '../core/find-on-path.js';
import { addonPath } from './addons.js';
import { pulseDevices } from './devices.js';
import { Resampler, SAMPLE_RATE, toInt16 } from '../core/pcm.js';
import { capturePortAudio, parseReports } from './portaudio.js';

/** Where the samples come from: PortAudio (naudiodon), sox or arecord (node-record-lpcm16), or PulseAudio's parec. */
export type MicrophoneBackend = 'portaudio' | 'sox' | 'parec';

export interface MicrophoneOptions {
  /** A name from `vetta devices` (a PulseAudio source, or a PortAudio/ALSA device); the default input when absent. */
  device?: string;
  env?: NodeJS.ProcessEnv;
  /** Samples per frame; 512 is 32 ms, Silero VAD's frame at 16 kHz. */
  frameSamples?: number;
  /** The backends to try, in order. */
  backends?: MicrophoneBackend[];
}

/** No audio for this long after it had been flowing means the device is gone. */
const STALL_MS = 4_000;
/** A recorder still running this long after start, without having failed, has its device open. */
const OPEN_GRACE_MS = 1_500;

const NO_MICROPHONE = 'run "vetta devices" to see the inputs, then pick one with --input-device';

interface Capture {
  child: ChildProcess;
  pcm: NodeJS.ReadableStream;
  rate: number;
  stderr: () => string;
}

/**
 * The microphone: 16 kHz mono frames as an async iterable, until the signal aborts. Every backend
 * is a child process, so a device that hangs or crashes cannot take Vetta with it. A device that
 * disappears mid-stream ends the iterable with a VettaError the caller can answer with text mode.
 */
export class Microphone {
  private constructor(
    readonly backend: MicrophoneBackend,
    readonly device: string,
    private readonly capture: Capture,
    private readonly frameSamples: number,
  ) {}

  /** Opens the input with the first backend that is installed; says clearly when there is no microphone. */
  static async open(options: MicrophoneOptions = {}): Promise<Microphone> {
    const env = options.env ?? process.env;
    const pulse = await pulseDevices(env);
    // A PulseAudio source is reached through ALSA's "pulse" device with PULSE_SOURCE naming it.
    const pulseSource = options.device && pulse?.sources.includes(options.device) ? options.device : undefined;
    const reasons: string[] = [];
    for (const backend of options.backends ?? (['portaudio', 'sox', 'parec'] as const)) {
      const started = start(backend, options.device, pulseSource, env);
      if (typeof started === 'string') {
        reasons.push(`${backend}: ${started}`);
        continue;
      }
      const capture = await opened(backend, started);
      if (capture instanceof VettaError) throw capture;
      if (typeof capture === 'string') {
        reasons.push(`${backend}: ${capture}`);
        continue;
      }
      return new Microphone(backend, options.device ?? 'default', capture, options.frameSamples ?? 512);
    }
    throw new VettaError(
      'not_found',
      `no way to record found (${reasons.join('; ')}); install PulseAudio's parec (apt-get install pulseaudio-utils) or sox, or type instead`,
    );
  }

  /** Stops recording without reading: for a microphone opened and then not used. */
  close(): void {
    const { child } = this.capture;
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }

  /** Frames of exactly frameSamples samples until the signal aborts (quietly) or the device is lost (VettaError). */
  async *frames(signal?: AbortSignal): AsyncGenerator<Int16Array> {
    const { child, pcm, rate } = this.capture;
    const resampler = new Resampler(rate, SAMPLE_RATE);
    let pending = new Int16Array(0);
    let odd = Buffer.alloc(0);
    let stalled = false;
    let stallTimer: NodeJS.Timeout | undefined;
    const watch = () => {
      clearTimeout(stallTimer);
      stallTimer = setTimeout(() => {
        stalled = true;
        child.kill('SIGKILL');
      }, STALL_MS);
    };
    const stop = () => child.kill('SIGKILL');
    signal?.addEventListener('abort', stop, { once: true });
    watch();
    try {
      for await (const chunk of pcm as AsyncIterable<Buffer>) {
        if (signal?.aborted) return;
        watch();
        const bytes = odd.length > 0 ? Buffer.concat([odd, chunk]) : chunk;
        odd = Buffer.from(bytes.subarray(bytes.length - (bytes.length % 2)));
        const samples = resampler.push(toInt16(bytes));
        const joined = new Int16Array(pending.length + samples.length);
        joined.set(pending);
        joined.set(samples, pending.length);
        let at = 0;
        for (; at + this.frameSamples <= joined.length; at += this.frameSamples) {
          if (signal?.aborted) return;
          yield joined.slice(at, at + this.frameSamples);
        }
        pending = joined.slice(at);
      }
      if (signal?.aborted) return;
      await exitOf(child);
      throw lost(this.backend, stalled ? 'no audio for 4 s' : why(this.backend, this.capture.stderr()));
    } finally {
      clearTimeout(stallTimer);
      signal?.removeEventListener('abort', stop);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
  }
}

function lost(backend: MicrophoneBackend, detail: string): VettaError {
  return new VettaError('io', `the microphone stopped (${backend}: ${detail}); check it is plugged in and run "vetta devices"; going on in text mode`);
}

function exitOf(child: ChildProcess): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((resolve) => child.once('close', () => resolve()));
}

/** Starts the backend's recorder, or says why it cannot be used here. */
function start(
  backend: MicrophoneBackend,
  device: string | undefined,
  pulseSource: string | undefined,
  env: NodeJS.ProcessEnv,
): { child: ChildProcess; pcm: NodeJS.ReadableStream; rate?: number } | string {
  const pulseEnv = pulseSource ? { ...env, PULSE_SOURCE: pulseSource } : env;
  switch (backend) {
    case 'portaudio': {
      if (!addonPath('naudiodon')) return 'naudiodon is not installed';
      const child = capturePortAudio(pulseSource ? 'pulse' : device, pulseEnv)!;
      return { child, pcm: child.stdio[3] as NodeJS.ReadableStream };
    }
    case 'sox': {
      const recorders = recorderBuilders();
      if (!recorders) return 'node-record-lpcm16 is not installed';
      const program = (['sox', 'arecord'] as const).find((name) => findOnPath(name, env, ['/usr/bin']));
      if (!program) return 'neither sox nor arecord is installed';
      const alsaDevice = pulseSource ? 'pulse' : device;
      const { cmd, args } = recorders.load(program)({ sampleRate: SAMPLE_RATE, channels: 1, audioType: 'raw', device: alsaDevice });
      // node-record-lpcm16 passes sox its device in AUDIODEV, on top of this process's environment; ours is the one that counts.
      const child = spawn(cmd, args.map(String), {
        env: program === 'sox' && alsaDevice ? { ...pulseEnv, AUDIODEV: alsaDevice } : pulseEnv,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      return { child, pcm: child.stdout, rate: SAMPLE_RATE };
    }
    case 'parec': {
      const parec = findOnPath('parec', env, ['/usr/bin']);
      if (!parec) return 'parec is not installed';
      const args = [
        '--raw',
        '--format=s16le',
        `--rate=${SAMPLE_RATE}`,
        '--channels=1',
        '--latency-msec=20',
        '--client-name=vetta',
        ...(device ? [`--device=${device}`] : []),
      ];
      const child = spawn(parec, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
      return { child, pcm: child.stdout, rate: SAMPLE_RATE };
    }
  }
}

type RecorderBuilder = (options: { sampleRate: number; channels: number; audioType: string; device?: string }) => { cmd: string; args: (string | number)[] };

/** node-record-lpcm16's command lines for sox and arecord; we run the process ourselves to own its environment and errors. */
function recorderBuilders(): { load(name: string): RecorderBuilder } | undefined {
  const entry = (() => {
    try {
      return createRequire(import.meta.url).resolve('node-record-lpcm16');
    } catch {
      return undefined;
    }
  })();
  return entry ? (createRequire(entry)('./recorders') as { load(name: string): RecorderBuilder }) : undefined;
}

/**
 * Waits until the recorder has its device: PortAudio's worker says so; sox and parec are open when
 * audio flows or they are still running after a grace period. A missing or busy device is the
 * user's to fix (a VettaError); a backend that cannot work here is a reason to try the next one.
 */
async function opened(
  backend: MicrophoneBackend,
  started: { child: ChildProcess; pcm: NodeJS.ReadableStream; rate?: number },
): Promise<Capture | VettaError | string> {
  const { child, pcm } = started;
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  const exited = exitOf(child).then(() => 'exited' as const);
  let rate = started.rate;
  let ready: Promise<'ready'>;
  if (backend === 'portaudio') {
    ready = new Promise((resolve) => {
      const look = () => {
        const report = parseReports(stderr).find((r) => r.what === 'rate');
        if (!report) return;
        rate = Number(report.detail);
        child.stderr!.off('data', look);
        resolve('ready');
      };
      child.stderr!.on('data', look);
    });
  } else {
    ready = new Promise((resolve) => {
      // 'readable' also fires at the end of the stream: a recorder that failed at once is not ready.
      const look = () => {
        if ((pcm as NodeJS.ReadableStream & { readableLength: number }).readableLength === 0) return;
        pcm.off('readable', look);
        resolve('ready');
      };
      pcm.on('readable', look);
      setTimeout(() => {
        pcm.off('readable', look);
        resolve('ready');
      }, OPEN_GRACE_MS).unref();
    });
  }
  const outcome = await Promise.race([ready, exited]);
  if (outcome === 'ready' && child.exitCode === null && child.signalCode === null) return { child, pcm, rate: rate ?? SAMPLE_RATE, stderr: () => stderr };
  return failure(backend, stderr);
}

/** The recorder's last words as a short phrase. */
function why(backend: MicrophoneBackend, stderr: string): string {
  if (backend === 'portaudio') {
    const report = parseReports(stderr)
      .filter((r) => r.what !== 'rate')
      .pop();
    if (report) return report.detail || report.what;
  }
  const lines = stderr
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('ALSA lib') && !/^sox WARN/.test(line));
  return lines.pop() ?? 'it exited';
}

function failure(backend: MicrophoneBackend, stderr: string): VettaError | string {
  const detail = why(backend, stderr);
  const reports = backend === 'portaudio' ? parseReports(stderr) : [];
  if (reports.some((r) => r.what === 'unloadable')) return `naudiodon does not load (${detail})`;
  if (/busy|Device unavailable/i.test(stderr))
    return new VettaError('io', `the microphone is busy (${backend}: ${detail}): close the program using it, or ${NO_MICROPHONE}`);
  if (
    reports.some((r) => r.what === 'missing') ||
    /No such entity|no default audio device|No such file or directory|Invalid device|cannot open|Connection refused|Connection failure/i.test(stderr)
  ) {
    return new VettaError('not_found', `no microphone found (${backend}: ${detail}): ${NO_MICROPHONE}`);
  }
  return new VettaError('io', `the microphone could not be opened (${backend}: ${detail}): ${NO_MICROPHONE}`);
}

import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { toInt16 } from '../../src/core/pcm.ts';
import { findOnPath } from '../../src/core/find-on-path.ts';
import { tempDir } from '../helpers.ts';

/**
 * A private PulseAudio server with a null sink, so tests play through a real audio device and read
 * back what it played from the sink's monitor. Started per test file; nothing of the user's is used.
 */
export interface Pulse {
  env: NodeJS.ProcessEnv;
  sink: string;
  /**
   * The virtual microphone: the monitor of a second null sink (with `oneRoom`, of its channel), so
   * what `speak` plays into that sink is what a recorder reading this source hears.
   */
  microphone: string;
  /** Plays 16 kHz mono PCM into the virtual microphone; resolves when pacat has sent it all. */
  speak(samples: Int16Array): Promise<void>;
  /** Records the sink's monitor as 16 kHz mono PCM until stopped; `ready` resolves once audio is arriving. */
  record(): { ready: Promise<void>; stop: () => Promise<Int16Array> };
  /**
   * With `oneRoom`: records what the microphone's sink and the sink were playing, on one clock (the
   * two channels of one stereo recording), so the time between a sound in one and in the other is exact.
   */
  recordRoom(): { ready: Promise<void>; stop: () => Promise<{ candidate: Int16Array; interviewer: Int16Array }> };
  close(): void;
}

export function pulseUnavailable(): string | false {
  for (const tool of ['pulseaudio', 'pacat', 'parec', 'pactl'])
    if (!findOnPath(tool, process.env, ['/usr/bin'])) return `${tool} is not installed (apt-get install pulseaudio pulseaudio-utils)`;
  return false;
}

export interface PulseOptions {
  /**
   * The sink and the microphone's sink become the right and left channels of one stereo null sink
   * (PulseAudio's remap modules), and the microphone reads the left channel of its monitor, so
   * `recordRoom` can time both sides on one clock.
   */
  oneRoom?: boolean;
}

export async function startPulse(options: PulseOptions = {}): Promise<Pulse> {
  const dir = tempDir('vetta-pulse-');
  const sink = 'vetta_test';
  const micSink = 'vetta_mic';
  const room = 'vetta_room';
  const env = { ...process.env, HOME: dir, XDG_RUNTIME_DIR: dir, PULSE_SERVER: `unix:${join(dir, 'native')}` };
  const remap = (module: string, name: string, master: string, channel: string) =>
    `--load=module-remap-${module} ${module}_name=${name} master=${master} channels=1 master_channel_map=${channel} channel_map=mono remix=no`;
  const devices = options.oneRoom
    ? [
        `--load=module-null-sink sink_name=${room} rate=16000 channels=2 channel_map=front-left,front-right`,
        remap('sink', sink, room, 'front-right'),
        remap('sink', micSink, room, 'front-left'),
        remap('source', `${micSink}_in`, `${room}.monitor`, 'front-left'),
      ]
    : [`--load=module-null-sink sink_name=${sink} rate=16000 channels=1`, `--load=module-null-sink sink_name=${micSink} rate=16000 channels=1`];
  const server = spawn(
    'pulseaudio',
    [
      '-n',
      '--daemonize=no',
      '--exit-idle-time=-1',
      '--disable-shm=yes',
      '--use-pid-file=no',
      ...devices,
      `--load=module-native-protocol-unix socket=${join(dir, 'native')} auth-anonymous=1`,
    ],
    { env, stdio: 'ignore' },
  );
  for (let i = 0; i < 100 && spawnSync('pactl', ['list', 'short', 'sinks'], { env }).status !== 0; i++) await new Promise((r) => setTimeout(r, 50));
  const recorders: ChildProcess[] = [];
  const startRecorder = (source: string, channels: number) => {
    const file = join(dir, `rec-${recorders.length}.raw`);
    const rec = spawn('sh', ['-c', `exec parec -d ${source} --raw --format=s16le --rate=16000 --channels=${channels} --latency-msec=20 > ${file}`], {
      env,
      stdio: 'ignore',
    });
    recorders.push(rec);
    // The monitor's first samples reach the file a while after parec starts; sound played before would be missed.
    const ready = (async () => {
      for (let i = 0; i < 200 && !(existsSync(file) && statSync(file).size > 0); i++) await new Promise((r) => setTimeout(r, 25));
    })();
    const stop = async () => {
      rec.kill('SIGTERM');
      await new Promise((r) => rec.once('close', r));
      return existsSync(file) ? toInt16(readFileSync(file)) : new Int16Array(0);
    };
    return { ready, stop };
  };
  return {
    env,
    sink,
    microphone: options.oneRoom ? `${micSink}_in` : `${micSink}.monitor`,
    async speak(samples) {
      const player = spawn('pacat', ['--playback', '--raw', '--format=s16le', '--rate=16000', '--channels=1', `--device=${micSink}`], {
        env,
        stdio: ['pipe', 'ignore', 'ignore'],
      });
      player.stdin.end(Buffer.from(samples.buffer, samples.byteOffset, samples.byteLength));
      await new Promise((r) => player.once('close', r));
    },
    record() {
      return startRecorder(`${sink}.monitor`, 1);
    },
    recordRoom() {
      if (!options.oneRoom) throw new Error('recordRoom needs startPulse({ oneRoom: true })');
      const { ready, stop } = startRecorder(`${room}.monitor`, 2);
      return {
        ready,
        stop: async () => {
          const both = await stop();
          return { candidate: both.filter((_, i) => i % 2 === 0), interviewer: both.filter((_, i) => i % 2 === 1) };
        },
      };
    },
    close() {
      for (const r of recorders) r.kill('SIGKILL');
      server.kill('SIGKILL');
    },
  };
}

/** Seconds of audible sound: 50 ms windows whose level is above a quiet room's. */
export function audibleSeconds(samples: Int16Array, threshold = 300): number {
  const win = 800;
  let loud = 0;
  for (let i = 0; i + win <= samples.length; i += win) {
    let sum = 0;
    for (let j = i; j < i + win; j++) sum += samples[j]! * samples[j]!;
    if (Math.sqrt(sum / win) > threshold) loud++;
  }
  return (loud * win) / 16000;
}

import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { toInt16 } from '../../src/audio/pcm.ts';
import { findOnPath } from '../../src/sandbox/paths.ts';
import { tempDir } from '../helpers.ts';

/**
 * A private PulseAudio server with a null sink, so tests play through a real audio device and read
 * back what it played from the sink's monitor. Started per test file; nothing of the user's is used.
 */
export interface Pulse {
  env: NodeJS.ProcessEnv;
  sink: string;
  /**
   * The virtual microphone: the monitor of a second null sink, so what `speak` plays into that
   * sink is what a recorder reading this source hears.
   */
  microphone: string;
  /** Plays 16 kHz mono PCM into the virtual microphone; resolves when pacat has sent it all. */
  speak(samples: Int16Array): Promise<void>;
  /** Records the sink's monitor as 16 kHz mono PCM until stopped; `ready` resolves once audio is arriving. */
  record(): { ready: Promise<void>; stop: () => Promise<Int16Array> };
  close(): void;
}

export function pulseUnavailable(): string | false {
  for (const tool of ['pulseaudio', 'pacat', 'parec', 'pactl']) if (!findOnPath(tool, process.env, ['/usr/bin'])) return `${tool} is not installed (apt-get install pulseaudio pulseaudio-utils)`;
  return false;
}

export async function startPulse(): Promise<Pulse> {
  const dir = tempDir('vetta-pulse-');
  const sink = 'vetta_test';
  const micSink = 'vetta_mic';
  const env = { ...process.env, HOME: dir, XDG_RUNTIME_DIR: dir, PULSE_SERVER: `unix:${join(dir, 'native')}` };
  const server = spawn(
    'pulseaudio',
    ['-n', '--daemonize=no', '--exit-idle-time=-1', '--disable-shm=yes', '--use-pid-file=no', `--load=module-null-sink sink_name=${sink} rate=16000 channels=1`, `--load=module-null-sink sink_name=${micSink} rate=16000 channels=1`, `--load=module-native-protocol-unix socket=${join(dir, 'native')} auth-anonymous=1`],
    { env, stdio: 'ignore' },
  );
  for (let i = 0; i < 100 && spawnSync('pactl', ['list', 'short', 'sinks'], { env }).status !== 0; i++) await new Promise((r) => setTimeout(r, 50));
  const recorders: ChildProcess[] = [];
  return {
    env,
    sink,
    microphone: `${micSink}.monitor`,
    async speak(samples) {
      const player = spawn('pacat', ['--playback', '--raw', '--format=s16le', '--rate=16000', '--channels=1', `--device=${micSink}`], { env, stdio: ['pipe', 'ignore', 'ignore'] });
      player.stdin.end(Buffer.from(samples.buffer, samples.byteOffset, samples.byteLength));
      await new Promise((r) => player.once('close', r));
    },
    record() {
      const file = join(dir, `rec-${recorders.length}.raw`);
      const rec = spawn('sh', ['-c', `exec parec -d ${sink}.monitor --raw --format=s16le --rate=16000 --channels=1 --latency-msec=20 > ${file}`], { env, stdio: 'ignore' });
      recorders.push(rec);
      // The monitor's first samples reach the file a while after parec starts; sound played before would be missed.
      const ready = (async () => {
        for (let i = 0; i < 200 && !(existsSync(file) && statSync(file).size > 0); i++) await new Promise((r) => setTimeout(r, 25));
      })();
      return {
        ready,
        stop: async () => {
          rec.kill('SIGTERM');
          await new Promise((r) => rec.once('close', r));
          return existsSync(file) ? toInt16(readFileSync(file)) : new Int16Array(0);
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

import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { spawn } from 'node:child_process';
import { VettaError } from '../core/errors.js';
import { findOnPath } from '../core/find-on-path.js';
import { SAMPLE_RATE } from '../core/pcm.js';

/**
 * Plays 16 kHz mono PCM through a player program: PulseAudio's pacat, ALSA's aplay or sox's play,
 * the first found. A subprocess can be killed at once, which is what stopping the voice needs; its
 * latency is kept short so little audio is queued in the device.
 */
export function playerCommand(name: 'pacat' | 'aplay' | 'play', device?: string): string[] {
  const rate = String(SAMPLE_RATE);
  switch (name) {
    case 'pacat':
      return [
        '--playback',
        '--raw',
        '--format=s16le',
        `--rate=${rate}`,
        '--channels=1',
        '--latency-msec=60',
        '--client-name=vetta',
        ...(device ? [`--device=${device}`] : []),
      ];
    case 'aplay':
      return ['-q', '-t', 'raw', '-f', 'S16_LE', '-r', rate, '-c', '1', '--buffer-time=100000', ...(device ? ['-D', device] : [])];
    case 'play':
      // sox takes its output device from AUDIODEV.
      return ['-q', '-t', 'raw', '-e', 'signed', '-b', '16', '-r', rate, '-c', '1', '-'];
  }
}

/** Where 16 kHz mono PCM goes to be heard. */
export interface PcmPlayer {
  /** Queues samples, waiting while the output is full. */
  write(samples: Int16Array): Promise<void>;
  /** Lets what is queued play out, then closes. */
  end(): Promise<void>;
  /** Silence now: what is queued is dropped. */
  stop(): void;
}

export class SubprocessPlayer implements PcmPlayer {
  private constructor(
    readonly name: string,
    private readonly child: ChildProcessWithoutNullStreams,
    private readonly exited: Promise<{ code: number | null; stderr: string }>,
  ) {}

  /** Starts the first player found, or says what is missing. */
  static open(env: NodeJS.ProcessEnv = process.env, device?: string): SubprocessPlayer {
    for (const name of ['pacat', 'aplay', 'play'] as const) {
      const path = findOnPath(name, env);
      if (!path) continue;
      const child = spawn(path, playerCommand(name, device), {
        stdio: ['pipe', 'ignore', 'pipe'],
        env: name === 'play' && device ? { ...env, AUDIODEV: device } : env,
      });
      let stderr = '';
      child.stderr.on('data', (d) => (stderr += d));
      child.stdin.on('error', () => {});
      const exited = new Promise<{ code: number | null; stderr: string }>((resolve) => child.on('close', (code) => resolve({ code, stderr })));
      return new SubprocessPlayer(name, child as unknown as ChildProcessWithoutNullStreams, exited);
    }
    throw new VettaError(
      'invalid_input',
      'no audio output: none of pacat (PulseAudio), aplay (ALSA) or play (sox) is installed; install one, or use --tts none',
    );
  }

  /** Queues samples, waiting while the player's input is full. */
  async write(samples: Int16Array): Promise<void> {
    if (this.child.exitCode !== null) throw await this.failure();
    const ok = this.child.stdin.write(Buffer.from(samples.buffer, samples.byteOffset, samples.byteLength));
    if (!ok) {
      await Promise.race([new Promise((r) => this.child.stdin.once('drain', r)), this.exited]);
      if (this.child.exitCode !== null) throw await this.failure();
    }
  }

  /** Lets what is queued play out, then closes the player. */
  async end(): Promise<void> {
    this.child.stdin.end();
    const { code } = await this.exited;
    if (code !== 0 && code !== null) throw await this.failure();
  }

  /** Silence now: what is queued is dropped. */
  stop(): void {
    this.child.kill('SIGKILL');
  }

  private async failure(): Promise<VettaError> {
    const { code, stderr } = await this.exited;
    const why = stderr.trim().split('\n').pop() || `exit ${code}`;
    return new VettaError('invalid_input', `no audio output (${this.name}: ${why}); check your sound server, or use --tts none`);
  }
}

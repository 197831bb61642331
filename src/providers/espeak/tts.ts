import { spawn } from 'node:child_process';
import { PcmDecoder } from '../../core/pcm.js';
import { WavStreamReader } from '../../core/wav.js';
import { VettaError } from '../../core/errors.js';
import { findOnPath } from '../../core/find-on-path.js';
import type { SpeechSynthesizer } from '../spec.js';

/**
 * The offline voice: espeak-ng, so Vetta speaks with no key and no network. One short process a
 * chunk; its WAV streams out as it is synthesised and is resampled to 16 kHz on the way.
 */
export class EspeakTts implements SpeechSynthesizer {
  readonly name = 'espeak';

  private constructor(
    private readonly binary: string,
    private readonly voice: string,
    private readonly wordsPerMinute: number,
  ) {}

  static detect(env: NodeJS.ProcessEnv = process.env, voice = 'en-us', wordsPerMinute = 170): EspeakTts | string {
    const binary = findOnPath('espeak-ng', env, ['/usr/bin']);
    return binary ? new EspeakTts(binary, voice, wordsPerMinute) : 'espeak-ng is not installed (Debian/Ubuntu: apt-get install espeak-ng)';
  }

  async *synthesize(text: string, signal?: AbortSignal): AsyncGenerator<Int16Array> {
    const child = spawn(this.binary, ['--stdout', '-v', this.voice, '-s', String(this.wordsPerMinute), '--', text], { stdio: ['ignore', 'pipe', 'pipe'] });
    const kill = () => child.kill('SIGKILL');
    signal?.addEventListener('abort', kill, { once: true });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    const wav = new WavStreamReader();
    let decoder: PcmDecoder | null = null;
    try {
      for await (const chunk of child.stdout as AsyncIterable<Buffer>) {
        if (signal?.aborted) return;
        const pcm = wav.push(chunk);
        if (!wav.format || pcm.length === 0) continue;
        if (wav.format.channels !== 1 || wav.format.bitsPerSample !== 16)
          throw new VettaError('internal', `espeak-ng produced ${wav.format.channels} channels of ${wav.format.bitsPerSample}-bit audio; expected mono 16-bit`);
        decoder ??= new PcmDecoder(wav.format.sampleRate);
        const samples = decoder.push(pcm);
        if (samples.length > 0) yield samples;
      }
      const code = await exited;
      if (code !== 0 && !signal?.aborted) throw new VettaError('internal', `espeak-ng failed (exit ${code}): ${stderr.trim().split('\n')[0] ?? ''}`);
    } finally {
      signal?.removeEventListener('abort', kill);
      if (child.exitCode === null) kill();
    }
  }
}

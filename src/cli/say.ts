import type { Command } from 'commander';
import { Option } from 'commander';
import { SubprocessPlayer } from '../audio/player.js';
import { VettaError } from '../core/errors.js';
import { chunkText } from '../pipeline/sentence-chunker.js';
import { ElevenLabsTts } from '../providers/elevenlabs/tts.js';
import { EspeakTts } from '../providers/espeak/tts.js';
import type { SpeechSynthesizer } from '../providers/spec.js';
import type { CliContext } from './main.js';

async function* fromStdin(stdin: NodeJS.ReadableStream): AsyncGenerator<string> {
  stdin.setEncoding('utf8');
  for await (const piece of stdin) yield String(piece);
}

async function* once(text: string): AsyncGenerator<string> {
  yield text;
}

/** A voice, and what to do when it is no longer needed (the cloud voice holds a connection open). */
function openVoice(name: string, env: NodeJS.ProcessEnv): { voice: SpeechSynthesizer; close: () => Promise<void> } {
  if (name === 'elevenlabs') {
    const apiKey = env.ELEVENLABS_API_KEY;
    if (!apiKey) throw new VettaError('invalid_input', 'ELEVENLABS_API_KEY is not set: set it to your ElevenLabs API key, or use --tts espeak (offline, no key)');
    const voice = new ElevenLabsTts({ apiKey, voiceId: env.ELEVENLABS_VOICE_ID || undefined, baseUrl: env.ELEVENLABS_BASE_URL || undefined });
    return { voice, close: () => voice.close() };
  }
  const voice = EspeakTts.detect(env);
  if (typeof voice === 'string') throw new VettaError('invalid_input', `${voice}; or use --tts none`);
  return { voice, close: async () => {} };
}

/**
 * `vetta say`: text (an argument, or stdin as it streams in) goes through the sentence chunker and
 * each chunk is spoken as soon as it is complete, while the next one is still arriving.
 */
export function registerSay(program: Command, ctx: CliContext): void {
  program
    .command('say')
    .description('speak text through a voice, chunk by chunk as it completes (stdin streams)')
    .argument('[text...]', 'the text (default: read stdin as it arrives)')
    .addOption(new Option('--tts <voice>', 'espeak (offline, no key), elevenlabs (ELEVENLABS_API_KEY) or none (only print the chunks)').choices(['espeak', 'elevenlabs', 'none']).default('espeak'))
    .option('--chunks', 'print each chunk as one JSON line {"text": ...}')
    .option('--output-device <name>', 'the player device (PulseAudio sink, ALSA device)')
    .action(async (words: string[], opts: { tts: string; chunks?: boolean; outputDevice?: string }) => {
      const source = words.length > 0 ? once(words.join(' ')) : fromStdin(ctx.stdin);
      const print = (text: string) => ctx.stdout.write(opts.chunks ? `${JSON.stringify({ text })}\n` : `${text}\n`);
      if (opts.tts === 'none') {
        for await (const chunk of chunkText(source)) print(chunk.text);
        return;
      }
      const { voice, close } = openVoice(opts.tts, ctx.env);
      const player = SubprocessPlayer.open(ctx.env, opts.outputDevice);
      const controller = new AbortController();
      // Ctrl-C silences the voice at once instead of letting queued audio play out.
      const interrupt = () => {
        controller.abort();
        player.stop();
      };
      process.once('SIGINT', interrupt);
      try {
        for await (const chunk of chunkText(source, {}, controller.signal)) {
          if (opts.chunks) print(chunk.text);
          for await (const samples of voice.synthesize(chunk.text, controller.signal)) await player.write(samples);
        }
        if (!controller.signal.aborted) await player.end();
      } catch (error) {
        // A voice that failed leaves nothing worth playing out.
        player.stop();
        throw error;
      } finally {
        process.removeListener('SIGINT', interrupt);
        if (controller.signal.aborted) player.stop();
        await close();
      }
    });
}

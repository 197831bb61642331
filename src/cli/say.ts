import type { Command } from 'commander';
import { Option } from 'commander';
import { SubprocessPlayer } from '../audio/player.js';
import { chunkText } from '../pipeline/sentence-chunker.js';
import type { CliContext } from './context.js';
import { chooseVoice } from './provider-choice.js';
import { choiceNames, optionHelp, VOICES } from './providers.js';

async function* fromStdin(stdin: NodeJS.ReadableStream): AsyncGenerator<string> {
  stdin.setEncoding('utf8');
  for await (const piece of stdin) yield String(piece);
}

async function* once(text: string): AsyncGenerator<string> {
  yield text;
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
    .addOption(new Option('--tts <voice>', optionHelp(VOICES, 'the voice; none only prints the chunks')).choices(choiceNames(VOICES)).default('auto'))
    .option('--chunks', 'print each chunk as one JSON line {"text": ...}')
    .option('--output-device <name>', 'the player device (PulseAudio sink, ALSA device)')
    .action(async (words: string[], opts: { tts: string; chunks?: boolean; outputDevice?: string }) => {
      const source = words.length > 0 ? once(words.join(' ')) : fromStdin(ctx.stdin);
      const print = (text: string) => ctx.stdout.write(opts.chunks ? `${JSON.stringify({ text })}\n` : `${text}\n`);
      const { provider: voice, description, auto, close } = chooseVoice(opts, ctx);
      if (!voice) {
        // No voice is what --tts none asks for; found by auto, it is a surprise worth a line.
        if (auto) ctx.stderr.write(`note: not speaking: ${description}\n`);
        for await (const chunk of chunkText(source)) print(chunk.text);
        return;
      }
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

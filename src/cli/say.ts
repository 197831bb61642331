import type { Command } from 'commander';
import { Option } from 'commander';
import { chunkText } from '../pipeline/sentence-chunker.js';
import type { CliContext } from './main.js';

async function* fromStdin(stdin: NodeJS.ReadableStream): AsyncGenerator<string> {
  stdin.setEncoding('utf8');
  for await (const piece of stdin) yield String(piece);
}

async function* once(text: string): AsyncGenerator<string> {
  yield text;
}

/**
 * `vetta say`: the text-to-speech path's front half. Text (an argument, or stdin as it streams in)
 * goes through the sentence chunker; each chunk is what a voice would synthesise. Voices arrive
 * with the audio output; until then `--tts none` prints the chunks.
 */
export function registerSay(program: Command, ctx: CliContext): void {
  program
    .command('say')
    .description('split text into the chunks a voice speaks, as they complete (stdin streams)')
    .argument('[text...]', 'the text (default: read stdin as it arrives)')
    .addOption(new Option('--tts <voice>', 'the voice; "none" only prints').choices(['none']).default('none'))
    .option('--chunks', 'print each chunk as one JSON line {"text": ...}')
    .action(async (words: string[], opts: { tts: string; chunks?: boolean }) => {
      const source = words.length > 0 ? once(words.join(' ')) : fromStdin(ctx.stdin);
      for await (const chunk of chunkText(source)) {
        ctx.stdout.write(opts.chunks ? `${JSON.stringify({ text: chunk.text })}\n` : `${chunk.text}\n`);
      }
    });
}

import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Command } from 'commander';
import { Option } from 'commander';
import { VettaError } from '../core/errors.js';
import { dataDir } from '../core/paths.js';
import { Interview } from '../interview/engine.js';
import { count } from '../interview/scorecard.js';
import type { Scorecard } from '../interview/scorecard.js';
import type { InterviewEvent } from '../interview/state.js';
import { EXTENSIONS, LANGUAGES, loadTests, readProblemFile } from '../problems/load.js';
import type { Language } from '../problems/load.js';
import { DEFAULT_GEMINI_MODEL, GeminiBrain } from '../providers/gemini/brain.js';
import { OpenAiCompatibleBrain } from '../providers/openai/brain.js';
import { ScriptedBrain } from '../providers/scripted/brain.js';
import { EspeakTts } from '../providers/espeak/tts.js';
import { SpokenOutput } from '../pipeline/spoken-output.js';
import { SubprocessPlayer } from '../audio/player.js';
import type { Brain } from '../providers/spec.js';
import { selectSandbox } from '../sandbox/select.js';
import { styleFor } from '../ui/style.js';
import type { CliContext } from './main.js';
import { sandboxOption } from './main.js';
import { warnAboutSandbox } from './run.js';

interface PracticeOptions {
  voice?: boolean;
  outputDevice?: string;
  llm: 'auto' | 'scripted' | 'gemini' | 'openai';
  model?: string;
  problem?: string;
  lang: Language;
  script?: string;
  json?: boolean;
  sandbox?: string;
}

/** One candidate action: a line of a script, or of what the candidate types. */
export type Action =
  | { kind: 'say'; text: string }
  | { kind: 'edit'; file?: string }
  | { kind: 'run' }
  | { kind: 'submit' }
  | { kind: 'hint' }
  | { kind: 'wait'; seconds: number }
  | { kind: 'quit' };

/** Parses a line; null for blank lines and comments. Commands start with "/", anything else is said. */
export function parseAction(line: string, where: string): Action | null {
  const text = line.trim();
  if (text === '' || text.startsWith('#')) return null;
  if (!text.startsWith('/')) return { kind: 'say', text };
  const [command, ...rest] = text.slice(1).split(/\s+/);
  const arg = rest.join(' ');
  switch (command) {
    case 'edit':
      return arg ? { kind: 'edit', file: arg } : { kind: 'edit' };
    case 'run':
    case 'submit':
    case 'hint':
    case 'quit':
      return { kind: command };
    case 'wait': {
      const seconds = Number(arg);
      if (!Number.isFinite(seconds) || seconds < 0) throw new VettaError('usage', `${where}: /wait takes a number of seconds, not "${arg}"`);
      return { kind: 'wait', seconds };
    }
    default:
      throw new VettaError('usage', `${where}: unknown command "/${command}" (expected /edit, /run, /submit, /hint, /wait or /quit)`);
  }
}

/** Ollama's OpenAI-compatible endpoint and a small model it serves, for a local interviewer. */
const DEFAULT_OPENAI_BASE_URL = 'http://127.0.0.1:11434/v1';
const DEFAULT_OPENAI_MODEL = 'llama3.2';

const HELP = 'commands: /edit (open your editor; saving runs the visible tests), /run, /submit, /hint, /quit; anything else is said to the interviewer';

export function registerPractice(program: Command, ctx: CliContext): void {
  program
    .command('practice')
    .description('a mock interview in the terminal, as a line-by-line transcript (offline interviewer)')
    .option('--problem <id>', 'the problem (default: a random easy one)')
    .addOption(new Option('--lang <language>', 'the language you will write').choices(LANGUAGES).default('python'))
    .option('--script <file>', 'take the candidate\'s actions from a file instead of the keyboard (docs/scripting.md)')
    .option('--json', 'print the interview as JSON lines, one event each')
    .addOption(
      new Option('--llm <brain>', 'who interviews: gemini (GEMINI_API_KEY), openai (any OpenAI-compatible server: OPENAI_BASE_URL), or the offline scripted one; auto is gemini when a key is set')
        .choices(['auto', 'scripted', 'gemini', 'openai'])
        .default('auto'),
    )
    .option('--model <name>', `the model (default: GEMINI_MODEL or ${DEFAULT_GEMINI_MODEL}; OPENAI_MODEL or ${DEFAULT_OPENAI_MODEL})`)
    .option('--voice', 'the interviewer speaks (offline espeak-ng voice); you type, and typing interrupts it')
    .option('--output-device <name>', 'with --voice: the player device (PulseAudio sink, ALSA device)')
    .addOption(sandboxOption())
    .action(async (opts: PracticeOptions) => {
      const set = ctx.problemSet();
      if (opts.script && !opts.problem) throw new VettaError('usage', '--script needs --problem, so the transcript is reproducible');
      const easy = set.list().filter((p) => p.meta.difficulty === 'easy');
      const problem = opts.problem ? set.get(opts.problem) : easy[Math.floor(Math.random() * easy.length)];
      if (!problem) throw new VettaError('not_found', 'no problems to practise with; see "vetta problems list"');
      const scriptLines = opts.script ? readScript(opts.script) : null;
      const tests = loadTests(problem);
      const sandbox = selectSandbox(ctx.sandboxName(opts.sandbox), ctx.env);
      const style = styleFor(ctx.stdout, ctx.env);
      warnAboutSandbox(sandbox, ctx, styleFor(ctx.stderr, ctx.env));

      // A script runs on a virtual clock that only /wait moves, so its transcript is reproducible.
      let virtualMs = 0;
      const now = scriptLines ? () => virtualMs : () => Date.now();
      const sessionId = randomUUID();
      const workDir = join(dataDir(ctx.env), 'work', sessionId);
      const solutionFile = join(workDir, `solution.${EXTENSIONS[opts.lang]}`);

      const write = (line: string) => ctx.stdout.write(`${line}\n`);
      let spoken: SpokenOutput | null = null;
      let speech: Promise<void> = Promise.resolve();
      if (opts.voice) {
        const voice = EspeakTts.detect(ctx.env);
        if (typeof voice === 'string') throw new VettaError('invalid_input', `--voice: ${voice}`);
        // Fail now, not mid-interview, when there is no player at all.
        SubprocessPlayer.open(ctx.env, opts.outputDevice).stop();
        spoken = new SpokenOutput(voice, () => SubprocessPlayer.open(ctx.env, opts.outputDevice), (e) =>
          ctx.stderr.write(styleFor(ctx.stderr, ctx.env).yellow(`note: the voice stopped (${e.message}); the interview goes on in text\n`)),
        );
      }
      const brain = chooseBrain(opts, ctx);
      let speaking = false;
      const interview = new Interview({
        problem,
        tests,
        language: opts.lang,
        brain,
        fallbackBrain: new ScriptedBrain(),
        onNotice: (message) => ctx.stderr.write(styleFor(ctx.stderr, ctx.env).yellow(`note: ${message}\n`)),
        sandbox,
        sessionId,
        now,
        onText: (delta) => {
          spoken?.push(delta);
          if (opts.json) return;
          if (!speaking) ctx.stdout.write(style.cyan('interviewer: '));
          speaking = true;
          ctx.stdout.write(delta);
        },
        onEvent: (event: InterviewEvent) => {
          if (event.type === 'interviewer_said' && spoken) speech = spoken.endTurn();
          if (opts.json) return write(JSON.stringify(event));
          if (event.type === 'interviewer_said') {
            speaking = false;
            ctx.stdout.write('\n');
          } else if (event.type === 'candidate_said' && scriptLines) write(`${style.bold('you:')} ${event.text}`);
          else if (event.type === 'tests_ran') write(style.dim(`[${event.run.kind}] ${event.run.verdict}: ${event.run.summary}`));
          else if (event.type === 'hint_given') write(style.dim(`[hint: ${event.level}]`));
        },
      });

      const edit = async (file?: string) => {
        if (file) {
          if (!existsSync(file)) throw new VettaError('invalid_input', `${file} does not exist`);
          interview.codeSaved(readFileSync(file, 'utf8'));
          await interview.runTests('run');
          return;
        }
        mkdirSync(workDir, { recursive: true });
        if (!existsSync(solutionFile)) writeFileSync(solutionFile, readProblemFile(problem, `starter.${EXTENSIONS[opts.lang]}`) ?? '');
        const editor = ctx.env.VISUAL || ctx.env.EDITOR || 'vi';
        interview.editorOpened();
        const result = spawnSync(editor, [solutionFile], { stdio: 'inherit', shell: /\s/.test(editor) });
        const previous = interview.state.codeSnapshots.at(-1)?.code;
        if (result.status !== 0 || !existsSync(solutionFile)) {
          write(style.yellow(`the editor ${result.status !== 0 ? `exited with status ${result.status ?? result.signal}` : 'left no file'}; keeping your previous code`));
          if (previous !== undefined) interview.codeSaved(previous);
          return;
        }
        interview.codeSaved(readFileSync(solutionFile, 'utf8'));
        await interview.runTests('run');
      };

      let card: Scorecard | null = null;
      const perform = async (action: Action) => {
        // A script waits for the interviewer to finish speaking; a person who types cuts it short.
        if (scriptLines) await speech;
        else spoken?.interrupt();
        switch (action.kind) {
          case 'say':
            return interview.say(action.text);
          case 'edit':
            return edit(action.file);
          case 'run':
          case 'submit':
            await interview.runTests(action.kind);
            return;
          case 'hint':
            return interview.askHint();
          case 'wait':
            virtualMs += action.seconds * 1000;
            return interview.tick();
          case 'quit':
            card = await interview.end();
            return;
        }
      };

      if (!opts.json) write(style.dim(`${problem.meta.title} (${problem.meta.difficulty}), in ${opts.lang}. ${HELP}`));
      await interview.start();
      if (scriptLines) {
        for (const [n, line] of scriptLines.entries()) {
          if (interview.state.phase === 'ended') break;
          const action = parseAction(line, `${opts.script}:${n + 1}`);
          if (action) await perform(action);
        }
      } else {
        const rl = createInterface({ input: ctx.stdin, terminal: false });
        const prompt = () => ctx.stdout.isTTY && ctx.stdout.write('> ');
        prompt();
        for await (const line of rl) {
          try {
            const action = parseAction(line, 'input');
            if (action) await perform(action);
          } catch (e) {
            if (!(e instanceof VettaError)) throw e;
            write(style.yellow(e.message));
          }
          if (interview.state.phase === 'ended') break;
          prompt();
        }
        rl.close();
      }
      const final = card ?? (await interview.end());
      await speech;
      if (opts.json) write(JSON.stringify({ type: 'scorecard', ...final }));
      else {
        write(style.bold('scorecard'));
        for (const [name, item] of [['problem solving', final.problemSolving], ['code quality', final.codeQuality], ['testing', final.testing], ['communication', final.communication]] as const) {
          write(`  ${name.padEnd(16)} ${item.grade}/4  ${item.note}`);
        }
        write(`  ${'hints'.padEnd(16)} ${count(final.hintsUsed.nudge, 'nudge')}, ${count(final.hintsUsed.hint, 'hint')}, ${count(final.hintsUsed.reveal, 'reveal')}; ${count(final.minutes, 'minute')}`);
      }
    });
}

/** The interviewer's brain from --llm, keys and settings; keys are read, never printed. */
function chooseBrain(opts: PracticeOptions, ctx: CliContext): Brain {
  const geminiKey = ctx.env.GEMINI_API_KEY || ctx.env.GOOGLE_API_KEY;
  const llm = opts.llm === 'auto' ? (geminiKey ? 'gemini' : 'scripted') : opts.llm;
  if (opts.llm === 'auto' && llm === 'scripted') {
    ctx.stderr.write(styleFor(ctx.stderr, ctx.env).dim('note: no GEMINI_API_KEY, so the offline interviewer leads; set it, or use --llm openai with a local model\n'));
  }
  if (llm === 'gemini') {
    if (!geminiKey) throw new VettaError('usage', '--llm gemini needs a key: set GEMINI_API_KEY (or GOOGLE_API_KEY)');
    return new GeminiBrain({ apiKey: geminiKey, model: opts.model || ctx.env.GEMINI_MODEL || DEFAULT_GEMINI_MODEL, ...(ctx.env.GEMINI_BASE_URL ? { baseUrl: ctx.env.GEMINI_BASE_URL } : {}) });
  }
  if (llm === 'openai') {
    return new OpenAiCompatibleBrain({
      baseUrl: ctx.env.OPENAI_BASE_URL || DEFAULT_OPENAI_BASE_URL,
      model: opts.model || ctx.env.OPENAI_MODEL || DEFAULT_OPENAI_MODEL,
      ...(ctx.env.OPENAI_API_KEY ? { apiKey: ctx.env.OPENAI_API_KEY } : {}),
    });
  }
  return new ScriptedBrain();
}

function readScript(file: string): string[] {
  try {
    return readFileSync(file, 'utf8').split('\n');
  } catch (e) {
    throw new VettaError('invalid_input', `${file} cannot be read (${(e as NodeJS.ErrnoException).code})`);
  }
}

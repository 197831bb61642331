import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import type { Command } from 'commander';
import { InvalidArgumentError, Option } from 'commander';
import { VettaError } from '../core/errors.js';
import { mark } from '../core/marks.js';
import { dataDir } from '../core/paths.js';
import { parseAction } from '../interview/actions.js';
import type { Action } from '../interview/actions.js';
import { PreemptiveBrain } from '../interview/preemptive-brain.js';
import { count } from '../interview/scorecard.js';
import type { Scorecard } from '../interview/scorecard.js';
import type { InterviewEvent } from '../interview/state.js';
import { EXTENSIONS, LANGUAGES, loadTests } from '../problems/load.js';
import type { Language, Problem } from '../problems/load.js';
import { DEFAULT_MINUTES } from '../interview/engine.js';
import { ScriptedBrain } from '../interview/scripted-brain.js';
import { DEFAULT_GEMINI_MODEL } from '../providers/gemini/model.js';
import { selectSandbox } from '../sandbox/select.js';
import { styleFor } from '../ui/style.js';
import type { Style } from '../ui/style.js';
import type { SuspendTerminal } from '../ui/practice-app.js';
import type { CliContext } from './context.js';
import { sandboxOption } from './context.js';
import type { EditorRunner } from './practice-session.js';
import { PracticeSession } from './practice-session.js';
import { recordingPath, startRecording } from '../replay/recording-session.js';
import { warnAboutSandbox } from './run.js';
import { scrubber, scrubValue, secretValues } from '../core/secrets.js';
import { chooseBrain } from './provider-choice.js';
import { BRAINS, choiceNames, DEFAULT_OPENAI_MODEL, EARS, optionHelp, VOICES } from './providers.js';
import { converse, setUpListening, setUpSpeaking } from './practice-voice.js';
import type { VoiceMode } from './practice-voice.js';
import { openStoreFor, storeOption } from './sessions.js';
import { watchSaving } from './session-saving.js';
import type { SessionStore } from '../store/sessions.js';
import type { ProblemSet } from '../problems/load.js';

interface PracticeOptions {
  voice?: boolean;
  text?: boolean;
  tts?: string;
  stt?: string;
  inputDevice?: string;
  outputDevice?: string;
  llm: string;
  model?: string;
  problem?: string;
  lang: Language;
  script?: string;
  json?: boolean;
  plain?: boolean;
  sandbox?: string;
  store?: string;
  resume?: string | true;
  record?: string | true;
  preemptive: boolean;
  minutes?: number;
}

function parseMinutes(value: string): number {
  const minutes = Number(value);
  if (!Number.isFinite(minutes) || minutes < 5 || minutes > 240) throw new InvalidArgumentError('expected a number of minutes from 5 to 240');
  return minutes;
}

const HELP = 'commands: /edit (open your editor; saving runs the visible tests), /run, /submit, /hint, /quit; anything else is said to the interviewer';

/** How long listening waits for the interviewer's first words before it is set up anyway. */
const FIRST_WORDS_WAIT_MS = 1_500;

/** How often a live interview lets the hint policy look at the clock. */
const TICK_MS = 5_000;

export function registerPractice(program: Command, ctx: CliContext): void {
  program
    .command('practice')
    .description('a mock interview in the terminal: full screen on a terminal, a line transcript otherwise')
    .option('--problem <id>', 'the problem (default: pick one from a list; a random easy one without a terminal)')
    .addOption(new Option('--lang <language>', 'the language you will write').choices(LANGUAGES).default('python'))
    .option('--plain', 'a line-by-line transcript instead of the full-screen view')
    .option('--script <file>', "take the candidate's actions from a file instead of the keyboard (docs/scripting.md)")
    .option('--json', 'print the interview as JSON lines, one event each')
    .addOption(new Option('--llm <brain>', optionHelp(BRAINS, 'who interviews')).choices(choiceNames(BRAINS)).default('auto'))
    .option('--model <name>', `the model (default: GEMINI_MODEL or ${DEFAULT_GEMINI_MODEL}; OPENAI_MODEL or ${DEFAULT_OPENAI_MODEL})`)
    .option('--voice', 'insist on a spoken interview, and say what is missing (full screen speaks whenever it can)')
    .option('--text', 'a typed interview, even where a voice and a microphone are there')
    .addOption(new Option('--tts <voice>', optionHelp(VOICES, "the interviewer's voice")).choices(choiceNames(VOICES)))
    .addOption(new Option('--stt <recognizer>', optionHelp(EARS, 'what understands you')).choices(choiceNames(EARS)))
    .option('--input-device <name>', 'the microphone (see "vetta devices")')
    .option('--output-device <name>', 'the speaker: a PulseAudio sink or ALSA device (see "vetta devices")')
    .option(
      '--minutes <n>',
      'the interview\'s length: follow-ups fill it, then your questions, then the close (default 45; also "minutes" in the config file)',
      parseMinutes,
    )
    .option(
      '--no-preemptive',
      'spoken: wait until your turn is decided before asking the model (saves the tokens of replies started on words you then went on from)',
    )
    .option('--resume [id]', 'continue a saved interview where it stopped (default: the latest unfinished one; see "vetta sessions list")')
    .option(
      '--record [file]',
      'record the interview for "vetta replay" (default file: $XDG_DATA_HOME/vetta/recordings/<session id>.jsonl; also "record": true in the config file)',
    )
    .addOption(storeOption())
    .addOption(sandboxOption())
    .action(async (opts: PracticeOptions) => {
      const set = ctx.problemSet();
      if (opts.script && !opts.problem) throw new VettaError('usage', '--script needs --problem, so the transcript is reproducible');
      if (opts.resume && (opts.script || opts.problem))
        throw new VettaError('usage', '--resume continues a saved interview: it takes neither --problem nor --script');
      const stdin = ctx.stdin as NodeJS.ReadStream;
      const fullScreen = !opts.plain && !opts.script && !opts.json && Boolean(stdin.isTTY) && Boolean(ctx.stdout.isTTY);
      const store = await openStoreFor(opts.store, ctx);
      try {
        await practise(opts, ctx, store, set, fullScreen);
      } finally {
        await store.close();
      }
    });
}

async function practise(
  opts: PracticeOptions,
  ctx: CliContext,
  store: SessionStore<InterviewEvent, Language>,
  set: ProblemSet,
  fullScreen: boolean,
): Promise<void> {
  const resuming = opts.resume ? (opts.resume === true ? await latestUnfinished(store) : await store.resolve(opts.resume)) : null;
  // One process writes a session: a second one on the same session stops here, naming the first.
  const sessionId = resuming ?? randomUUID();
  await store.lock(sessionId);
  const saved = resuming ? await store.resume(resuming) : null;
  if (saved?.meta.phase === 'ended')
    throw new VettaError('invalid_input', `interview ${saved.meta.id.slice(0, 8)} has ended; "vetta sessions show ${saved.meta.id.slice(0, 8)}" shows it`);
  if (saved) opts.lang = saved.meta.init.language;
  const problem = saved ? set.get(saved.meta.init.problemId) : await chooseProblem(opts, ctx, fullScreen);
  if (!problem) return;
  const scriptLines = opts.script ? readScript(opts.script) : null;
  const tests = loadTests(problem);
  const sandbox = selectSandbox(ctx.sandboxName(opts.sandbox), ctx.env);
  const style = styleFor(ctx.stdout, ctx.env);
  const noteStyle = styleFor(ctx.stderr, ctx.env);
  warnAboutSandbox(sandbox, ctx, noteStyle);

  // A script runs on a virtual clock that only /wait moves, so its transcript is reproducible.
  let virtualMs = 0;
  const now = scriptLines ? () => virtualMs : () => Date.now();
  const solutionFile = join(dataDir(ctx.env), 'work', sessionId, `solution.${EXTENSIONS[opts.lang]}`);
  if (opts.voice && opts.text) throw new VettaError('usage', '--voice and --text contradict each other: choose one');
  const voiceMode: VoiceMode = opts.text ? 'off' : opts.voice ? 'insist' : fullScreen ? 'auto' : 'off';
  const onVoiceError = (e: Error) =>
    fullScreen
      ? session.transcript.notice(`the voice stopped (${e.message}); the interview goes on in text`)
      : ctx.stderr.write(noteStyle.yellow(`note: the voice stopped (${e.message}); the interview goes on in text\n`));
  // The voice is set up while the full screen draws; a transcript waits for it.
  const speaking = setUpSpeaking(voiceMode, opts, ctx, onVoiceError);
  speaking.catch(() => {});
  const voice = fullScreen ? null : (await speaking).output;
  // Said before the interview starts: on stderr for a transcript, in the conversation full screen.
  const notices: string[] = [];
  const chosen = chooseBrain(opts, ctx, (notice) => (fullScreen ? notices.push(notice) : ctx.stderr.write(noteStyle.dim(`note: ${notice}\n`))));
  // Spoken, the reply starts once the candidate has probably finished, before the turn is decided.
  const brain = voiceMode !== 'off' && opts.preemptive && ctx.config().preemptive !== false ? new PreemptiveBrain(chosen) : chosen;
  const editor = ctx.env.VISUAL || ctx.env.EDITOR || 'vi';
  // The editor owns the terminal until it exits: nothing else reads the keyboard meanwhile.
  const editInTerminal = (file: string) => {
    const result = spawnSync(editor, [file], { stdio: 'inherit', shell: /\s/.test(editor) });
    return { status: result.status, signal: result.signal };
  };
  let suspend: SuspendTerminal | null = null;
  const runEditor: EditorRunner = async (file) => {
    if (!suspend) return editInTerminal(file);
    let result: ReturnType<typeof editInTerminal> = { status: null, signal: null };
    await suspend(() => {
      result = editInTerminal(file);
    });
    return result;
  };

  const printer = fullScreen ? null : transcriptPrinter(ctx, style, Boolean(opts.json), Boolean(scriptLines));
  // A key pasted into the chat or the code is not saved with the session.
  const scrubSecrets = scrubber(secretValues(ctx.env, ctx.config()));
  if (!saved) await store.create({ sessionId, problemId: problem.id, language: opts.lang, atMs: now() });
  const recordTo = recordingPath(opts.record, ctx.config().record, ctx.env, sessionId);
  const recording = recordTo
    ? startRecording({
        file: recordTo,
        problem,
        language: opts.lang,
        brain,
        sessionId,
        now,
        clock: scriptLines ? 'virtual' : 'wall',
        env: ctx.env,
        config: ctx.config(),
        voice: voiceMode !== 'off',
        ...(saved ? { resumeFrom: { startedAtMs: saved.meta.init.atMs, events: saved.events } } : {}),
      })
    : null;
  const say = (message: string) => (fullScreen ? session.transcript.notice(message) : ctx.stderr.write(noteStyle.dim(`note: ${message}\n`)));
  const saving = watchSaving(store, sessionId, ctx.env, say);
  const session = new PracticeSession({
    problem,
    tests,
    language: opts.lang,
    brain: recording?.brain ?? brain,
    fallbackBrain: new ScriptedBrain(),
    sandbox,
    sessionId,
    now,
    solutionFile,
    runEditor: recording ? recording.recorder.watchEditor(runEditor) : runEditor,
    voice,
    waitForSpeech: Boolean(scriptLines),
    advanceClock: (ms) => (virtualMs += ms),
    minutes: opts.minutes ?? ctx.config().minutes ?? DEFAULT_MINUTES,
    ...(saved ? { resumeFrom: { startedAtMs: saved.meta.init.atMs, events: saved.events } } : {}),
    ...(printer ? { onText: printer.text } : {}),
    onAction: (action) => recording?.recorder.action(action),
    onEvent: (event) => {
      recording?.recorder.event(event);
      // Saved as it happens, in order: a crash loses at most what was in flight.
      store.append(sessionId, scrubValue(event, scrubSecrets)).catch(saving.failed);
      printer?.event(event);
    },
    onNotice: (message) => {
      recording?.recorder.notice(message);
      if (!fullScreen) ctx.stderr.write(noteStyle.yellow(`note: ${message}\n`));
    },
  });

  // The interviewer's voice, then (a script being the candidate's side) the microphone, which runs
  // beside whichever front end is used.
  const prepareVoice = async () => {
    const spoken = await speaking;
    void spoken.firstSound.then(() => mark(ctx.env, 'first-sample'));
    if (recording) spoken.recorder = recording.recorder;
    if (spoken.output) session.speakWith(spoken.output);
    if (spoken.note) say(spoken.note);
  };
  const listening = new AbortController();
  const { endpointingMinMs, endpointingMaxMs } = ctx.config();
  const endpointing = {
    ...(endpointingMinMs !== undefined ? { minEndpointingMs: endpointingMinMs } : {}),
    ...(endpointingMaxMs !== undefined ? { maxEndpointingMs: endpointingMaxMs } : {}),
  };
  const conversation = speaking
    .then(async (spoken) => {
      if (!spoken.output || scriptLines) return;
      // Loading the VAD compiles WebAssembly on this thread: after the first words are out, so the
      // interviewer is heard at once, or after a moment if it has nothing to say.
      await Promise.race([spoken.firstSound, new Promise((resolve) => setTimeout(resolve, FIRST_WORDS_WAIT_MS))]);
      const ear = await setUpListening(opts, ctx);
      say(ear.note);
      if (ear.listening && !listening.signal.aborted) await converse(session, ear.listening, spoken, endpointing, say, listening.signal, recording?.recorder);
      else ear.listening?.microphone.close();
    })
    .catch(() => {});
  let card: Scorecard;
  if (fullScreen) {
    card = await runFullScreen(session, problem, opts, ctx, notices, prepareVoice, (s) => (suspend = s));
    // The full screen is gone with its conversation: the interviewer's last words stay with the card.
    const last = session.interview.state.conversation.findLast((t) => t.role === 'interviewer');
    if (last) ctx.stdout.write(`${style.cyan('interviewer:')} ${last.text}\n`);
  } else if (scriptLines) {
    await prepareVoice();
    card = await runScript(session, scriptLines);
  } else {
    await prepareVoice();
    if (!opts.json) ctx.stdout.write(`${style.dim(`${problem.meta.title} (${problem.meta.difficulty}), in ${opts.lang}. ${HELP}`)}\n`);
    card = await runTyped(session, ctx, style);
  }
  listening.abort();
  await conversation;
  await saving.finish();
  await (await speaking).close();
  if (recording) {
    recording.recorder.scorecard(card);
    recording.recorder.close();
    ctx.stderr.write(noteStyle.dim(`note: recorded to ${recording.recorder.file}; "vetta replay" plays it back\n`));
  }
  if (opts.json) ctx.stdout.write(`${JSON.stringify({ type: 'scorecard', ...card })}\n`);
  else printScorecard(card, ctx, style);
}

/** The most recently active interview that has not ended. */
async function latestUnfinished(store: SessionStore<InterviewEvent, Language>): Promise<string> {
  const open = (await store.list()).filter((s) => s.status !== 'finished').sort((a, b) => b.lastActivityAtMs - a.lastActivityAtMs);
  if (!open[0]) throw new VettaError('not_found', 'no unfinished interview to resume; "vetta sessions list" shows the saved ones');
  return open[0].id;
}

async function chooseProblem(opts: PracticeOptions, ctx: CliContext, fullScreen: boolean): Promise<Problem | null> {
  const set = ctx.problemSet();
  if (opts.problem) return set.get(opts.problem);
  const all = set.list();
  if (all.length === 0) throw new VettaError('not_found', 'no problems to practise with; see "vetta problems list"');
  if (fullScreen) {
    const items = all.map((p) => ({ id: p.id, title: p.meta.title, difficulty: p.meta.difficulty, tags: p.meta.tags }));
    // Ink and React load only for the full screen: a transcript or a script never pays for them.
    const { pickProblem } = await import('../ui/terminal.js');
    const id = await pickProblem(items, !('NO_COLOR' in ctx.env), terminalIo(ctx));
    return id ? set.get(id) : null;
  }
  const easy = all.filter((p) => p.meta.difficulty === 'easy');
  const pool = easy.length > 0 ? easy : all;
  return pool[Math.floor(Math.random() * pool.length)]!;
}

const terminalIo = (ctx: CliContext) => ({ stdin: ctx.stdin as NodeJS.ReadStream, stdout: ctx.stdout, stderr: ctx.stderr });

/** The line transcript: the interviewer's words as they stream, runs and hints in brackets. */
function transcriptPrinter(ctx: CliContext, style: Style, json: boolean, echoCandidate: boolean) {
  const write = (line: string) => ctx.stdout.write(`${line}\n`);
  let speaking = false;
  return {
    text(delta: string) {
      if (json) return;
      if (!speaking) ctx.stdout.write(style.cyan('interviewer: '));
      speaking = true;
      ctx.stdout.write(delta);
    },
    event(event: InterviewEvent) {
      if (json) return write(JSON.stringify(event));
      if (event.type === 'interviewer_said') {
        speaking = false;
        ctx.stdout.write('\n');
      } else if (event.type === 'candidate_said' && echoCandidate) write(`${style.bold('you:')} ${event.text}`);
      else if (event.type === 'tests_ran') write(style.dim(`[${event.run.kind}] ${event.run.verdict}: ${event.run.summary}`));
      else if (event.type === 'hint_given') write(style.dim(`[hint: ${event.level}]`));
    },
  };
}

async function runScript(session: PracticeSession, steps: ScriptStep[]): Promise<Scorecard> {
  await session.start();
  for (const { action, where } of steps) {
    if (session.ended) break;
    try {
      await session.perform(action);
    } catch (e) {
      if (e instanceof VettaError) throw new VettaError(e.code, `${where}: ${e.message}`);
      throw e;
    }
  }
  return session.finish();
}

/** Live sessions let the hint policy look at the clock while the candidate is quiet. */
function tickWhileIdle(session: PracticeSession, onEnded: () => void): () => void {
  // Time running out ends the interview from here: the front end then closes as after /quit.
  const timer = setInterval(
    () =>
      void session.tick().then(
        () => session.ended && onEnded(),
        () => {},
      ),
    TICK_MS,
  );
  timer.unref();
  return () => clearInterval(timer);
}

/**
 * A kill or a closed terminal ends the process, not the interview: the screen is restored, and the
 * session, saved event by event, waits for --resume.
 */
function leaveOnSignals(session: PracticeSession, ctx: CliContext, restore: () => Promise<void>): () => void {
  const leave = (signal: NodeJS.Signals) => {
    void restore().finally(() => {
      ctx.stderr.write(`vetta: stopped by ${signal}; the session is saved: vetta practice --resume ${session.interview.state.sessionId.slice(0, 8)}\n`);
      process.exit(signal === 'SIGHUP' ? 129 : signal === 'SIGINT' ? 130 : 143);
    });
  };
  const signals: NodeJS.Signals[] = ['SIGTERM', 'SIGHUP'];
  for (const signal of signals) process.once(signal, leave);
  return () => {
    for (const signal of signals) process.removeListener(signal, leave);
  };
}

async function runTyped(session: PracticeSession, ctx: CliContext, style: Style): Promise<Scorecard> {
  const stopOnSignals = leaveOnSignals(session, ctx, async () => {});
  await session.start();
  const rl = createInterface({ input: ctx.stdin, terminal: false });
  const stopTicking = tickWhileIdle(session, () => rl.close());
  const prompt = () => ctx.stdout.isTTY && ctx.stdout.write('> ');
  prompt();
  try {
    for await (const line of rl) {
      try {
        const action = parseAction(line, 'input');
        if (action) await session.perform(action);
      } catch (e) {
        if (!(e instanceof VettaError)) throw e;
        ctx.stdout.write(`${style.yellow(e.message)}\n`);
      }
      if (session.ended) break;
      prompt();
    }
  } finally {
    stopTicking();
    stopOnSignals();
    rl.close();
  }
  return session.finish();
}

async function runFullScreen(
  session: PracticeSession,
  problem: Problem,
  opts: PracticeOptions,
  ctx: CliContext,
  notices: string[],
  prepareVoice: () => Promise<void>,
  setSuspend: (s: SuspendTerminal) => void,
): Promise<Scorecard> {
  let quit: () => void = () => {};
  const quitting = new Promise<void>((resolve) => (quit = resolve));
  const failed = (e: unknown) => session.transcript.notice(e instanceof VettaError ? e.message : `something went wrong: ${(e as Error).message}`);
  const { showPractice } = await import('../ui/terminal.js');
  const screen = await showPractice(
    {
      title: problem.meta.title,
      difficulty: problem.meta.difficulty,
      language: opts.lang,
      statement: problem.statement,
      transcript: session.transcript,
      now: () => Date.now(),
      color: !('NO_COLOR' in ctx.env) && ctx.env.TERM !== 'dumb',
      onAction: (action) => void session.perform(action).then(() => session.ended && quit(), failed),
      onQuit: () => quit(),
    },
    terminalIo(ctx),
  );
  setSuspend(screen.suspend);
  mark(ctx.env, 'first-frame');
  for (const notice of notices) session.transcript.notice(notice);
  const stopOnSignals = leaveOnSignals(session, ctx, () => screen.close());
  const stopTicking = tickWhileIdle(session, () => quit());
  try {
    // Drawn first, then the voice: the interview starts once it can be heard.
    await prepareVoice();
    void session.start().then(() => session.ended && quit(), failed);
    await quitting;
    const card = await session.finish();
    return card;
  } finally {
    stopTicking();
    stopOnSignals();
    await screen.close();
  }
}

function printScorecard(card: Scorecard, ctx: CliContext, style: Style): void {
  const write = (line: string) => ctx.stdout.write(`${line}\n`);
  write(style.bold('scorecard'));
  for (const [name, item] of [
    ['problem solving', card.problemSolving],
    ['code quality', card.codeQuality],
    ['testing', card.testing],
    ['communication', card.communication],
  ] as const) {
    write(`  ${name.padEnd(16)} ${item.grade}/4  ${item.note}`);
  }
  write(
    `  ${'hints'.padEnd(16)} ${count(card.hintsUsed.nudge, 'nudge')}, ${count(card.hintsUsed.hint, 'hint')}, ${count(card.hintsUsed.reveal, 'reveal')}; ${count(card.minutes, 'minute')}`,
  );
}

/** One action of a script, with where it is written (`script:line`) for messages. */
interface ScriptStep {
  action: Action;
  where: string;
}

/**
 * A script's actions, read whole before the interview starts so a broken script leaves no session
 * behind: each line parsed, each `/edit FILE` resolved against the script's folder (a script and
 * its solutions travel together) and required to exist.
 */
function readScript(file: string): ScriptStep[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new VettaError('invalid_input', `${file} ${code === 'ENOENT' ? 'does not exist' : `cannot be read (${code})`}`);
  }
  const folder = dirname(resolve(file));
  const steps: ScriptStep[] = [];
  for (const [n, line] of text.split('\n').entries()) {
    const where = `${file}:${n + 1}`;
    const action = parseAction(line, where);
    if (!action) continue;
    if (action.kind === 'edit' && action.file) {
      const path = resolve(folder, action.file);
      if (!existsSync(path)) throw new VettaError('invalid_input', `${where}: /edit ${action.file}: ${path} does not exist`);
      steps.push({ action: { ...action, file: path }, where });
    } else steps.push({ action, where });
  }
  return steps;
}

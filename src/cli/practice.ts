import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { Command } from 'commander';
import { InvalidArgumentError, Option } from 'commander';
import { VettaError } from '../core/errors.js';
import { mark } from '../core/marks.js';
import { dataDir } from '../core/paths.js';
import { PreemptiveBrain } from '../interview/preemptive-brain.js';
import type { Scorecard } from '../interview/scorecard.js';
import type { InterviewEvent } from '../interview/state.js';
import { EXTENSIONS, LANGUAGES, loadTests } from '../problems/load.js';
import type { Language, Problem } from '../problems/load.js';
import { DEFAULT_MINUTES } from '../interview/engine.js';
import { ScriptedBrain } from '../interview/scripted-brain.js';
import { DEFAULT_GEMINI_MODEL } from '../providers/gemini/model.js';
import { selectSandbox } from '../sandbox/select.js';
import { styleFor } from '../ui/style.js';
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
import { printScorecard, readScript, runFullScreen, runScript, runTyped, terminalIo, transcriptPrinter } from './practice-fronts.js';
import { converse, setUpListening, setUpSpeaking } from './practice-voice.js';
import type { VoiceMode, VoiceRecorder } from './practice-voice.js';
import { openStoreFor, storeOption } from './sessions.js';
import { watchSaving } from './session-saving.js';
import type { LoadedSession, SessionStore } from '../store/sessions.js';
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

/** How long listening waits for the interviewer's first words before it is set up anyway. */
const FIRST_WORDS_WAIT_MS = 1_500;

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

/**
 * A practice interview from start to scorecard: which session and problem, how it is seen and
 * heard, what keeps it (store, recording), then one front end drives it to the end.
 */
async function practise(
  opts: PracticeOptions,
  ctx: CliContext,
  store: SessionStore<InterviewEvent, Language>,
  set: ProblemSet,
  fullScreen: boolean,
): Promise<void> {
  if (opts.voice && opts.text) throw new VettaError('usage', '--voice and --text contradict each other: choose one');
  const begun = await beginOrResume(opts, ctx, store, set, fullScreen);
  if (!begun) return;
  const { sessionId, saved, problem } = begun;
  const script = opts.script ? readScript(opts.script) : null;
  const sandbox = selectSandbox(ctx.sandboxName(opts.sandbox), ctx.env);
  const style = styleFor(ctx.stdout, ctx.env);
  const noteStyle = styleFor(ctx.stderr, ctx.env);
  warnAboutSandbox(sandbox, ctx, noteStyle);

  // A script runs on a virtual clock that only /wait moves, so its transcript is reproducible.
  let virtualMs = 0;
  const now = script ? () => virtualMs : () => Date.now();
  let session: PracticeSession | undefined;
  // Notes go into the conversation on the full screen, to stderr in a transcript.
  const say = (message: string) => (fullScreen && session ? session.transcript.notice(message) : ctx.stderr.write(noteStyle.dim(`note: ${message}\n`)));
  const voiceMode: VoiceMode = opts.text ? 'off' : opts.voice ? 'insist' : fullScreen ? 'auto' : 'off';
  // The voice is set up while the full screen draws; a transcript waits for it.
  const speaking = setUpSpeaking(voiceMode, opts, ctx, (e) => {
    const message = `the voice stopped (${e.message}); the interview goes on in text`;
    if (fullScreen && session) session.transcript.notice(message);
    else ctx.stderr.write(noteStyle.yellow(`note: ${message}\n`));
  });
  speaking.catch(() => {});
  const voice = fullScreen ? null : (await speaking).output;
  // Said before the interview starts: kept for the full screen until it is drawn.
  const notices: string[] = [];
  const chosen = chooseBrain(opts, ctx, (notice) => (fullScreen ? notices.push(notice) : say(notice)));
  // Spoken, the reply starts once the candidate has probably finished, before the turn is decided.
  const brain = voiceMode !== 'off' && opts.preemptive && ctx.config().preemptive !== false ? new PreemptiveBrain(chosen) : chosen;
  const editor = terminalEditor(ctx.env);

  if (!saved) await store.create({ sessionId, problemId: problem.id, language: opts.lang, atMs: now() });
  const resumeFrom = saved ? { resumeFrom: { startedAtMs: saved.meta.init.atMs, events: saved.events } } : {};
  const recordTo = recordingPath(opts.record, ctx.config().record, ctx.env, sessionId);
  const recording = recordTo
    ? startRecording({
        file: recordTo,
        problem,
        language: opts.lang,
        brain,
        sessionId,
        now,
        clock: script ? 'virtual' : 'wall',
        env: ctx.env,
        config: ctx.config(),
        voice: voiceMode !== 'off',
        ...resumeFrom,
      })
    : null;
  const saving = watchSaving(store, sessionId, ctx.env, say);
  const printer = fullScreen ? null : transcriptPrinter(ctx, style, Boolean(opts.json), Boolean(script));
  // A key pasted into the chat or the code is not saved with the session.
  const scrubSecrets = scrubber(secretValues(ctx.env, ctx.config()));
  session = new PracticeSession({
    problem,
    tests: loadTests(problem),
    language: opts.lang,
    brain: recording?.brain ?? brain,
    fallbackBrain: new ScriptedBrain(),
    sandbox,
    sessionId,
    now,
    solutionFile: join(dataDir(ctx.env), 'work', sessionId, `solution.${EXTENSIONS[opts.lang]}`),
    runEditor: recording ? recording.recorder.watchEditor(editor.run) : editor.run,
    voice,
    waitForSpeech: Boolean(script),
    advanceClock: (ms) => (virtualMs += ms),
    minutes: opts.minutes ?? ctx.config().minutes ?? DEFAULT_MINUTES,
    ...resumeFrom,
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

  const spoken = session;
  // The interviewer's voice, made ready before the first words.
  const prepareVoice = async () => {
    const ready = await speaking;
    void ready.firstSound.then(() => mark(ctx.env, 'first-sample'));
    if (recording) ready.recorder = recording.recorder;
    if (ready.output) spoken.speakWith(ready.output);
    if (ready.note) say(ready.note);
  };
  // The microphone runs beside whichever front end is used (a script being the candidate's side).
  const listening = new AbortController();
  const conversation = script ? Promise.resolve() : listenBeside(spoken, speaking, opts, ctx, say, listening.signal, recording?.recorder);

  let card: Scorecard;
  if (fullScreen) {
    card = await runFullScreen(spoken, problem, opts.lang, ctx, notices, prepareVoice, editor.suspendWith);
    // The full screen is gone with its conversation: the interviewer's last words stay with the card.
    const last = spoken.interview.state.conversation.findLast((t) => t.role === 'interviewer');
    if (last) ctx.stdout.write(`${style.cyan('interviewer:')} ${last.text}\n`);
  } else {
    await prepareVoice();
    card = script
      ? await runScript(spoken, script)
      : await runTyped(spoken, ctx, style, opts.json ? null : `${problem.meta.title} (${problem.meta.difficulty}), in ${opts.lang}.`);
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

/**
 * The session to run: a new one, or a saved one to resume. One process writes a session: a second
 * one on the same session stops here, naming the first. Null when the picker was left.
 */
async function beginOrResume(
  opts: PracticeOptions,
  ctx: CliContext,
  store: SessionStore<InterviewEvent, Language>,
  set: ProblemSet,
  fullScreen: boolean,
): Promise<{ sessionId: string; saved: LoadedSession<InterviewEvent, Language> | null; problem: Problem } | null> {
  const resuming = opts.resume ? (opts.resume === true ? await latestUnfinished(store) : await store.resolve(opts.resume)) : null;
  const sessionId = resuming ?? randomUUID();
  await store.lock(sessionId);
  const saved = resuming ? await store.resume(resuming) : null;
  if (saved?.meta.phase === 'ended')
    throw new VettaError('invalid_input', `interview ${saved.meta.id.slice(0, 8)} has ended; "vetta sessions show ${saved.meta.id.slice(0, 8)}" shows it`);
  if (saved) opts.lang = saved.meta.init.language;
  const problem = saved ? set.get(saved.meta.init.problemId) : await chooseProblem(opts, ctx, fullScreen);
  return problem ? { sessionId, saved, problem } : null;
}

/** The candidate's microphone, once the interviewer can speak: it hears them until `signal` aborts. */
async function listenBeside(
  session: PracticeSession,
  speaking: ReturnType<typeof setUpSpeaking>,
  opts: PracticeOptions,
  ctx: CliContext,
  say: (message: string) => void,
  signal: AbortSignal,
  recorder: VoiceRecorder | undefined,
): Promise<void> {
  const { endpointingMinMs, endpointingMaxMs } = ctx.config();
  const endpointing = {
    ...(endpointingMinMs !== undefined ? { minEndpointingMs: endpointingMinMs } : {}),
    ...(endpointingMaxMs !== undefined ? { maxEndpointingMs: endpointingMaxMs } : {}),
  };
  try {
    const spoken = await speaking;
    if (!spoken.output) return;
    // Loading the VAD compiles WebAssembly on this thread: after the first words are out, so the
    // interviewer is heard at once, or after a moment if it has nothing to say.
    await Promise.race([spoken.firstSound, new Promise((resolve) => setTimeout(resolve, FIRST_WORDS_WAIT_MS))]);
    const ear = await setUpListening(opts, ctx);
    say(ear.note);
    if (ear.listening && !signal.aborted) await converse(session, ear.listening, spoken, endpointing, say, signal, recorder);
    else ear.listening?.microphone.close();
  } catch {
    // A voice that failed to start was said when it failed; the interview goes on typed.
  }
}

/**
 * $VISUAL or $EDITOR (else vi), which owns the terminal until it exits: nothing else reads the
 * keyboard meanwhile, and the full screen steps aside (`suspendWith`) while it runs.
 */
function terminalEditor(env: NodeJS.ProcessEnv): { run: EditorRunner; suspendWith: (suspend: SuspendTerminal) => void } {
  const editor = env.VISUAL || env.EDITOR || 'vi';
  const edit = (file: string) => {
    const result = spawnSync(editor, [file], { stdio: 'inherit', shell: /\s/.test(editor) });
    return { status: result.status, signal: result.signal };
  };
  let suspend: SuspendTerminal | null = null;
  return {
    run: async (file) => {
      if (!suspend) return edit(file);
      let result: ReturnType<typeof edit> = { status: null, signal: null };
      await suspend(() => {
        result = edit(file);
      });
      return result;
    },
    suspendWith: (s) => {
      suspend = s;
    },
  };
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

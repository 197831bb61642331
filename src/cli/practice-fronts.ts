import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { VettaError } from '../core/errors.js';
import { mark } from '../core/marks.js';
import { parseAction } from '../interview/actions.js';
import type { Action } from '../interview/actions.js';
import { count } from '../interview/scorecard.js';
import type { Scorecard } from '../interview/scorecard.js';
import type { InterviewEvent } from '../interview/state.js';
import type { Language, Problem } from '../problems/load.js';
import type { SuspendTerminal } from '../ui/practice-app.js';
import type { Style } from '../ui/style.js';
import type { CliContext } from './context.js';
import type { PracticeSession } from './practice-session.js';

/**
 * The three ways a practice interview is driven: the full screen, typed lines (a pipe or --plain),
 * and a script; the transcript printer the last two share; the scorecard as printed.
 */

const HELP = 'commands: /edit (open your editor; saving runs the visible tests), /run, /submit, /hint, /quit; anything else is said to the interviewer';

/** How often a live interview lets the hint policy look at the clock. */
const TICK_MS = 5_000;

export const terminalIo = (ctx: CliContext) => ({ stdin: ctx.stdin as NodeJS.ReadStream, stdout: ctx.stdout, stderr: ctx.stderr });

/** The line transcript: the interviewer's words as they stream, runs and hints in brackets. */
export function transcriptPrinter(ctx: CliContext, style: Style, json: boolean, echoCandidate: boolean) {
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

export async function runScript(session: PracticeSession, steps: ScriptStep[]): Promise<Scorecard> {
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

export async function runTyped(session: PracticeSession, ctx: CliContext, style: Style, banner: string | null): Promise<Scorecard> {
  if (banner) ctx.stdout.write(`${style.dim(`${banner} ${HELP}`)}\n`);
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

export async function runFullScreen(
  session: PracticeSession,
  problem: Problem,
  language: Language,
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
      language,
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

export function printScorecard(card: Scorecard, ctx: CliContext, style: Style): void {
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
export interface ScriptStep {
  action: Action;
  where: string;
}

/**
 * A script's actions, read whole before the interview starts so a broken script leaves no session
 * behind: each line parsed, each `/edit FILE` resolved against the script's folder (a script and
 * its solutions travel together) and required to exist.
 */
export function readScript(file: string): ScriptStep[] {
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

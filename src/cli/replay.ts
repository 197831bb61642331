import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import type { Stats } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import type { Command } from 'commander';
import { Option } from 'commander';
import { errorMessage, VettaError } from '../core/errors.js';
import { vettaVersion } from '../replay/recording-session.js';
import { checkRecording } from '../replay/check.js';
import { loadTests } from '../problems/load.js';
import type { Brain } from '../interview/brain.js';
import type { SpeechRecognizer } from '../providers/spec.js';
import { play } from '../replay/player.js';
import { readRecording } from '../replay/recording.js';
import { scrubber, secretValues } from '../core/secrets.js';
import type { Recording } from '../replay/recording.js';
import { divergenceText, failedAfterUpdate, junitXml } from '../replay/report.js';
import type { CheckResult } from '../replay/report.js';
import { selectSandbox } from '../sandbox/select.js';
import type { Sandbox } from '../core/sandbox.js';
import { styleFor } from '../ui/style.js';
import type { Style } from '../ui/style.js';
import type { CliContext } from './context.js';
import { sandboxOption } from './context.js';
import { PracticeSession } from './practice-session.js';
import { chooseBrain, chooseRecognizer } from './provider-choice.js';
import { BRAINS, choiceNames, EARS } from './providers.js';
import { retranscribed } from './replay-audio.js';
import { warnAboutSandbox } from './run.js';

interface ReplayOptions {
  speed: string;
  check?: boolean;
  junit?: string;
  update?: boolean;
  live?: boolean;
  json?: boolean;
  sandbox?: string;
  fromAudio?: boolean;
  stt?: string;
}

/** The exit status when a recording could not be checked at all (the sandbox would not start): not a divergence. */
const EXIT_CHECK_COULD_NOT_RUN = 3;

/** The JUnit report's folder, made before any check runs: a path that cannot be written fails first, not last. */
function prepareReportFolder(file: string): void {
  try {
    mkdirSync(dirname(file), { recursive: true });
  } catch (e) {
    throw new VettaError('io', `cannot write the JUnit report ${file} (${(e as NodeJS.ErrnoException).code}); choose another path with --junit FILE`);
  }
  if (statSync(file, { throwIfNoEntry: false })?.isDirectory())
    throw new VettaError('usage', `--junit ${file} is a folder; give a file name, such as ${join(file, 'replay.xml')}`);
}

function summary(total: number, failed: number, errors: number, style: Style): string {
  if (failed === 0 && errors === 0) return style.green(`all ${total} recordings OK`);
  const parts = [failed > 0 ? `${failed} of ${total} recordings diverged` : '', errors > 0 ? `${errors} could not be checked` : ''].filter(Boolean);
  return style.red(parts.join('; '));
}

function parseSpeed(text: string): number {
  if (text === 'max') return Number.POSITIVE_INFINITY;
  const speed = Number(text);
  if (!Number.isFinite(speed) || speed <= 0) throw new VettaError('usage', `--speed takes a positive number or "max", not "${text}"`);
  return speed;
}

/** The recordings to check: the file, or every .jsonl under the folder, in name order. */
function recordingFiles(target: string): string[] {
  let stats: Stats;
  try {
    stats = statSync(target);
  } catch {
    throw new VettaError('not_found', `${target} does not exist; give a recording (.jsonl) or a folder of them`);
  }
  if (!stats.isDirectory()) return [target];
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      if (entry.isDirectory()) walk(join(dir, entry.name));
      else if (entry.name.endsWith('.jsonl')) found.push(join(dir, entry.name));
    }
  };
  walk(target);
  if (found.length === 0) throw new VettaError('not_found', `no recordings (.jsonl) under ${target}; make one with "vetta practice --record"`);
  return found;
}

export function registerReplay(program: Command, ctx: CliContext): void {
  program
    .command('replay')
    .description("play a recorded interview back, or check (--check) that today's Vetta still decides as it did")
    .argument('<recording>', 'a recording (.jsonl) from "vetta practice --record"; with --check, also a folder of them')
    .option('--speed <n>', 'playback speed: 2 is twice as fast, "max" prints it at once', '1')
    .option('--check', "re-run the candidate's side through today's engine and compare every decision; exit 1 on a divergence")
    .option('--junit <file>', 'with --check: also write a JUnit XML report')
    .option('--update', "with --check: rewrite each recording from today's behaviour")
    .option('--live', 'with --check: ask the recorded interviewer (its keys from the environment) instead of answering from the recording')
    .option('--json', 'with --check: one JSON object a recording')
    .option('--from-audio', "with --check: hear the candidate's recorded audio again with today's recognizer, instead of taking the recorded transcripts")
    .addOption(
      new Option('--stt <recognizer>', 'with --from-audio: the recognizer, as for practice --stt (default: auto)').choices(
        choiceNames(EARS).filter((name) => name !== 'none'),
      ),
    )
    .addOption(sandboxOption())
    .action(async (target: string, opts: ReplayOptions) => {
      const style = styleFor(ctx.stdout, ctx.env);
      if (!opts.check) {
        if (opts.junit || opts.update || opts.live || opts.json || opts.fromAudio)
          throw new VettaError('usage', '--junit, --update, --live, --json and --from-audio go with --check');
        const speed = parseSpeed(opts.speed);
        if (statSync(target, { throwIfNoEntry: false })?.isDirectory())
          throw new VettaError('usage', `${target} is a folder: play one recording, or check them all with --check`);
        await playBack(readRecording(target), speed, ctx, style);
        return;
      }
      const files = recordingFiles(target);
      if (opts.junit) prepareReportFolder(opts.junit);
      const sandbox = selectSandbox(ctx.sandboxName(opts.sandbox), ctx.env);
      warnAboutSandbox(sandbox, ctx, styleFor(ctx.stderr, ctx.env));
      const results: CheckResult[] = [];
      for (const [i, file] of files.entries()) {
        const result = await checkFile(file, sandbox, opts, ctx);
        results.push(result);
        report(result, files.length > 1 ? `[${i + 1}/${files.length}] ` : '', opts, ctx, style);
      }
      if (opts.junit) writeFileSync(opts.junit, junitXml(results));
      const errors = results.filter((r) => r.error !== null).length;
      const failed = results.filter((r) => (opts.update ? failedAfterUpdate(r) : !r.ok)).length - errors;
      if (!opts.json && files.length > 1) ctx.stdout.write(`${summary(files.length, failed, errors, style)}\n`);
      ctx.exitCode = errors > 0 ? EXIT_CHECK_COULD_NOT_RUN : failed > 0 ? 1 : 0;
    });
}

async function playBack(recording: Recording, speed: number, ctx: CliContext, style: Style): Promise<void> {
  const stdin = ctx.stdin as NodeJS.ReadStream;
  const interactive = Boolean(stdin.isTTY && ctx.stdout.isTTY);
  if (interactive) {
    stdin.setRawMode(true);
    stdin.resume();
  }
  try {
    await play(recording, { out: ctx.stdout, paint: style, speed, keys: interactive ? stdin : null });
  } finally {
    if (interactive) {
      stdin.setRawMode(false);
      stdin.pause();
    }
  }
}

/** The recognizer --from-audio hears the recorded audio with; one must be there. */
function recognizerFor(opts: ReplayOptions, ctx: CliContext): SpeechRecognizer {
  const { provider: recognizer, description } = chooseRecognizer(opts.stt ? { stt: opts.stt } : {}, ctx);
  if (!recognizer) throw new VettaError('invalid_input', `--from-audio needs a recognizer: ${description}`);
  return recognizer;
}

/** The interviewer a --live check asks: the recorded one, with today's keys and settings. */
function liveBrain(recording: Recording, ctx: CliContext): Brain {
  const { name, model } = recording.header.brain;
  if (!BRAINS.entries.some((entry) => entry.name === name)) throw new VettaError('usage', `--live cannot ask the "${name}" interviewer; check without --live`);
  return chooseBrain({ llm: name, ...(model ? { model } : {}) }, ctx, () => {});
}

async function checkFile(file: string, sandbox: Sandbox, opts: ReplayOptions, ctx: CliContext): Promise<CheckResult> {
  const started = performance.now();
  const workDir = mkdtempSync(join(tmpdir(), 'vetta-replay-'));
  try {
    const recorded = readRecording(file);
    const heard = opts.fromAudio ? await retranscribed(recorded, recognizerFor(opts, ctx)) : null;
    const recording = heard?.recording ?? recorded;
    const problem = ctx.problemSet().get(recording.header.problem.id);
    const result = await checkRecording(recording, {
      problem,
      tests: loadTests(problem),
      sandbox,
      makeSession: (options) => new PracticeSession(options),
      workDir,
      ...(opts.live ? { liveBrain: liveBrain(recording, ctx) } : {}),
      ...(opts.update ? { update: { vettaVersion: vettaVersion(), scrub: scrubber(secretValues(ctx.env, ctx.config())) } } : {}),
    });
    if (!heard || heard.divergences.length === 0) return result;
    return { ...result, ok: false, divergences: [...heard.divergences, ...result.divergences] };
  } catch (e) {
    if (!(e instanceof VettaError)) throw e;
    // An unreadable recording, or one whose problem is gone, fails like a divergence: CI must see it.
    return {
      file,
      ok: false,
      divergences: [{ where: 'the recording cannot be checked', diff: [`+ ${errorMessage(e)}`] }],
      actions: 0,
      llmTurns: 0,
      problemChanged: false,
      error: null,
      truncated: false,
      ...(opts.update ? { update: { written: false, why: 'it cannot be read as a recording this Vetta checks' } } : {}),
      durationMs: performance.now() - started,
    };
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}

function report(result: CheckResult, progress: string, opts: ReplayOptions, ctx: CliContext, style: Style): void {
  const write = (line: string) => ctx.stdout.write(`${line}\n`);
  if (opts.json) {
    write(JSON.stringify({ ...result, durationMs: Math.round(result.durationMs) }));
    return;
  }
  const name = relative(process.cwd(), result.file) || result.file;
  const seconds = `${(result.durationMs / 1000).toFixed(1)} s`;
  if (result.ok) write(`${progress}${style.green('OK')}   ${name} (${result.actions} actions, ${result.llmTurns} interviewer turns, ${seconds})`);
  else if (result.error !== null) write(`${progress}${style.red('ERROR')} ${name}: the check could not run, ${result.error}`);
  else {
    write(`${progress}${style.red('FAIL')} ${name}: ${result.divergences.length} divergence${result.divergences.length === 1 ? '' : 's'} (${seconds})`);
    for (const d of result.divergences) {
      for (const line of divergenceText(d).split('\n'))
        write(`  ${line.startsWith('  - ') ? style.red(line) : line.startsWith('  + ') ? style.green(line) : line}`);
    }
  }
  if (result.truncated) write(style.yellow(`  note: the recording ends mid-line (the process died while writing it); checked up to its last whole line`));
  if (result.problemChanged) write(style.yellow(`  note: the problem changed since this was recorded`));
  if (result.update?.written) write(style.dim(`  updated ${name} from today's behaviour`));
  else if (result.update) write((result.ok ? style.dim : style.red)(`  not updated: ${result.update.why}`));
}

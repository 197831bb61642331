import { readFileSync, statSync } from 'node:fs';
import type { Command } from 'commander';
import { Option } from 'commander';
import { VettaError } from '../core/errors.js';
import { preview } from '../core/text.js';
import { checkSource, effectiveLimits, judge, MAX_SOURCE_BYTES } from '../problems/judge.js';
import type { JudgeReport, TestOutcome } from '../problems/judge.js';
import { LANGUAGES, languageOfFile, loadTests } from '../problems/load.js';
import type { Language } from '../problems/load.js';
import { selectSandbox } from '../sandbox/select.js';
import type { Sandbox } from '../core/sandbox.js';
import { LIMIT_CAPS } from '../core/sandbox.js';
import type { Style } from '../ui/style.js';
import { styleFor } from '../ui/style.js';
import type { CliContext } from './context.js';
import { sandboxOption } from './context.js';

interface RunOptions extends LimitOptions {
  lang?: Language;
  json?: boolean;
  sandbox?: string;
  verbose?: boolean;
  visible?: boolean;
}

const VERDICT_WORDS: Record<string, string> = {
  passed: 'passed',
  accepted: 'accepted',
  wrong_answer: 'wrong answer',
  runtime_error: 'runtime error',
  time_limit: 'time limit exceeded',
  memory_limit: 'memory limit exceeded',
  output_limit: 'output limit exceeded',
  not_run: 'not run',
  compile_error: 'compile error',
};

export function readSolution(file: string): string {
  let size: number;
  try {
    const st = statSync(file);
    if (st.isDirectory()) throw new VettaError('invalid_input', `${file} is a folder; give the solution file`);
    size = st.size;
  } catch (e) {
    if (e instanceof VettaError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'does not exist' : code === 'EACCES' ? 'cannot be read (permission denied)' : `cannot be read (${code})`;
    throw new VettaError('invalid_input', `${file} ${why}`);
  }
  if (size > MAX_SOURCE_BYTES) {
    throw new VettaError('invalid_input', `${file} is ${(size / 1024 / 1024).toFixed(1)} MB; a solution may be at most 1 MB`);
  }
  let source: string;
  try {
    source = readFileSync(file, 'utf8');
  } catch (e) {
    throw new VettaError('invalid_input', `${file} cannot be read (${(e as NodeJS.ErrnoException).code})`);
  }
  checkSource(source, file);
  return source;
}

export interface LimitOptions {
  timeLimit?: number;
  testTimeLimit?: number;
  memoryLimit?: number;
}

function limitOption(flag: string, unit: string, max: number, toInternal: (v: number) => number) {
  return new Option(
    `${flag} <${unit === 's' ? 'seconds' : 'MB'}>`,
    `raise or lower the ${flag.replace('--', '').replaceAll('-', ' ')} (at most ${max} ${unit})`,
  ).argParser((v: string) => {
    const n = Number(v);
    if (!Number.isFinite(n) || n <= 0) throw new VettaError('usage', `${flag} takes a positive number, not "${v}"`);
    if (n > max) throw new VettaError('usage', `${flag} is at most ${max} ${unit}`);
    return toInternal(n);
  });
}

/** --time-limit, --test-time-limit and --memory-limit, shared by the commands that judge. */
export function addLimitOptions(command: Command): Command {
  return command
    .addOption(limitOption('--time-limit', 's', LIMIT_CAPS.wallMs / 1000, (s) => Math.round(s * 1000)))
    .addOption(limitOption('--test-time-limit', 's', LIMIT_CAPS.testTimeMs / 1000, (s) => Math.round(s * 1000)))
    .addOption(limitOption('--memory-limit', 'MB', LIMIT_CAPS.memoryMb, (mb) => Math.round(mb)));
}

export function limitsFrom(opts: LimitOptions): { wallMs?: number; testTimeMs?: number; memoryMb?: number } {
  return {
    ...(opts.timeLimit ? { wallMs: opts.timeLimit } : {}),
    ...(opts.testTimeLimit ? { testTimeMs: opts.testTimeLimit } : {}),
    ...(opts.memoryLimit ? { memoryMb: opts.memoryLimit } : {}),
  };
}

export function warnAboutSandbox(sandbox: Sandbox, ctx: CliContext, style: Style): void {
  for (const gap of sandbox.gaps) ctx.stderr.write(style.yellow(`warning: sandbox ${sandbox.name}: ${gap}\n`));
}

function describeTest(o: TestOutcome, style: Style): string[] {
  const ok = o.verdict === 'passed';
  const mark = ok ? style.green('✓') : style.red('✗');
  const time = o.timeMs !== null ? style.dim(` ${Math.round(o.timeMs)} ms`) : '';
  const label = o.hidden ? `${o.name} ${style.dim('(hidden)')}` : o.name;
  const lines = [`${mark} ${label}${ok ? '' : `: ${style.red(VERDICT_WORDS[o.verdict] ?? o.verdict)}`}${time}`];
  if (ok) return lines;
  if (o.input !== undefined) {
    lines.push(`    input:    ${preview(o.input)}`);
    lines.push(`    expected: ${preview(o.expected)}`);
    if (o.actual !== undefined) lines.push(`    actual:   ${preview(o.actual)}`);
  } else if (o.tags.length > 0) {
    lines.push(style.dim(`    tags: ${o.tags.join(', ')}`));
  }
  if (o.error)
    lines.push(
      ...o.error
        .split('\n')
        .slice(0, 12)
        .map((l) => `    ${l}`),
    );
  if (o.output) lines.push(style.dim(`    printed: ${preview(o.output, 200)}`));
  return lines;
}

export function printReport(report: JudgeReport, ctx: CliContext, style: Style): void {
  if (report.compileError) {
    const where = report.compileError.line ? `line ${report.compileError.line}: ` : '';
    ctx.stdout.write(`${style.red('compile error')}: ${where}${report.compileError.message}\n`);
  }
  const word = VERDICT_WORDS[report.verdict] ?? report.verdict;
  const head = report.verdict === 'accepted' ? style.green(style.bold(word)) : style.red(style.bold(word));
  ctx.stdout.write(`${head}: ${report.summary} ${style.dim(`(${report.durationMs} ms)`)}\n`);
}

export function registerRun(program: Command, ctx: CliContext): void {
  const run = program
    .command('run')
    .description("judge a solution file against a problem's tests")
    .argument('<problem>', 'a problem id, or a problem folder')
    .argument('<solution>', 'the solution file (.py, .js or .ts)')
    .addOption(new Option('--lang <language>', "the solution's language (default: from the file extension)").choices(LANGUAGES))
    .option('--visible', 'run only the visible tests, as the candidate\'s "run" does')
    .option('--json', 'print one JSON object (see docs/judge-output.md)')
    .option('-v, --verbose', 'say which sandbox runs the code and with which limits')
    .addOption(sandboxOption());
  addLimitOptions(run).action(async (problemRef: string, file: string, opts: RunOptions) => {
    const style = styleFor(ctx.stdout, ctx.env);
    const errStyle = styleFor(ctx.stderr, ctx.env);
    const problem = ctx.problemSet().get(problemRef);
    const source = readSolution(file);
    const language = opts.lang ?? languageOfFile(file);
    if (!language) {
      throw new VettaError('usage', `cannot tell the language of ${file} from its extension; use --lang ${LANGUAGES.join('|')}`);
    }
    const tests = loadTests(problem);
    const sandbox = selectSandbox(ctx.sandboxName(opts.sandbox), ctx.env);
    warnAboutSandbox(sandbox, ctx, errStyle);
    if (opts.verbose) {
      const l = effectiveLimits(problem, limitsFrom(opts));
      ctx.stderr.write(
        errStyle.dim(
          `sandbox: ${sandbox.name}; limits: ${l.sandbox.wallMs / 1000} s a submission, ${l.testTimeMs / 1000} s a test, ${l.sandbox.memoryMb} MB, ${l.sandbox.maxProcesses} processes${sandbox.gaps.length ? ' (not all enforced, see the warning)' : ''}\n`,
        ),
      );
    }
    const selected = opts.visible ? tests.filter((t) => !t.hidden) : tests;
    const report = await judge(problem, tests, {
      source,
      language,
      sandbox,
      tests: selected,
      limits: limitsFrom(opts),
      onTest: opts.json ? undefined : (o) => ctx.stdout.write(`${describeTest(o, style).join('\n')}\n`),
    });
    if (opts.json) ctx.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    else printReport(report, ctx, style);
    ctx.exitCode = report.verdict === 'accepted' ? 0 : 1;
  });
}

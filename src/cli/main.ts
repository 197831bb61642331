import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command, CommanderError } from 'commander';
import { loadConfig } from '../core/config.js';
import type { ConfigFile } from '../core/config.js';
import type { CliContext, GlobalOptions } from './context.js';
import { PROVIDER_NAMES } from './providers.js';
import { errorMessage, VettaError } from '../core/errors.js';
import { packageRoot } from '../core/paths.js';
import { ProblemSet } from '../problems/load.js';
import { registerProblems } from './problems.js';
import { registerPractice } from './practice.js';
import { registerRun } from './run.js';
import { registerSay } from './say.js';
import { registerDevices } from './devices.js';
import { registerSessions } from './sessions.js';
import { registerDoctor } from './doctor.js';
import { registerReplay } from './replay.js';
import { registerBench } from './bench.js';

const collect = (value: string, previous: string[] = []) => [...previous, value];

export function buildProgram(ctx: CliContext): Command {
  const version = (JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string }).version;
  const program = new Command('vetta')
    .description('A terminal AI interviewer: practise coding interviews, judge solutions in a sandbox.')
    .version(version, '-V, --version')
    .option('--problems <dir>', 'add a folder of problems (repeatable; also VETTA_PROBLEMS)', collect)
    .showSuggestionAfterError(true)
    .configureOutput({
      writeOut: (s) => ctx.stdout.write(s),
      writeErr: (s) => ctx.stderr.write(s),
    })
    .exitOverride();
  program.hook('preAction', (_, action) => {
    let cmd: Command | null = action;
    while (cmd?.parent) cmd = cmd.parent;
    const globals = (cmd ?? program).opts<GlobalOptions>();
    let cached: ProblemSet | undefined;
    ctx.problemSet = () => (cached ??= new ProblemSet({ configDirs: ctx.config().problems ?? [], extraDirs: globals.problems ?? [], env: ctx.env }));
  });
  registerProblems(program, ctx);
  registerPractice(program, ctx);
  registerRun(program, ctx);
  registerSay(program, ctx);
  registerDevices(program, ctx);
  registerSessions(program, ctx);
  registerDoctor(program, ctx);
  registerReplay(program, ctx);
  registerBench(program, ctx);
  return program;
}

/** Runs the CLI and returns the exit code: 0 success, 1 verdict or check failed, 2 usage or input error. */
export async function main(argv: string[], io: Partial<Pick<CliContext, 'stdin' | 'stdout' | 'stderr' | 'env'>> = {}): Promise<number> {
  let config: ConfigFile | undefined;
  const ctx: CliContext = {
    stdin: io.stdin ?? process.stdin,
    stdout: io.stdout ?? process.stdout,
    stderr: io.stderr ?? process.stderr,
    env: io.env ?? process.env,
    config: () => (config ??= loadConfig(ctx.env, PROVIDER_NAMES, (message) => ctx.stderr.write(`vetta: warning: ${message}\n`))),
    problemSet: () => new ProblemSet({ env: ctx.env }),
    sandboxName: (flag) => flag ?? (ctx.env.VETTA_SANDBOX || undefined) ?? ctx.config().sandbox ?? 'auto',
    exitCode: 0,
  };
  const program = buildProgram(ctx);
  try {
    await program.parseAsync(argv);
    return ctx.exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end through here too, with exit code 0.
      return error.exitCode === 0 ? 0 : 2;
    }
    if (error instanceof VettaError) {
      ctx.stderr.write(`vetta: ${error.message}\n`);
      return error.exitCode;
    }
    ctx.stderr.write(`vetta: internal error: ${errorMessage(error)}\n`);
    if (ctx.env.VETTA_DEBUG) ctx.stderr.write(`${(error as Error).stack}\n`);
    return 1;
  }
}

import { Option } from 'commander';
import type { ConfigFile } from '../core/config.js';
import type { ProblemSet } from '../problems/load.js';
import { SANDBOX_NAMES } from '../sandbox/select.js';

export interface GlobalOptions {
  problems?: string[];
}

/** Everything a command needs from its surroundings; tests build their own. */
export interface CliContext {
  stdin: NodeJS.ReadableStream;
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
  env: NodeJS.ProcessEnv;
  config(): ConfigFile;
  problemSet(): ProblemSet;
  /** The sandbox name in force: --sandbox, else VETTA_SANDBOX, else the config file, else auto. */
  sandboxName(flag: string | undefined): string;
  /** Set by a command to report the verdict: 0 success, 1 the verdict or check failed. */
  exitCode: number;
}

export const sandboxOption = () =>
  new Option(
    '--sandbox <name>',
    'where candidate code runs (default: VETTA_SANDBOX, the config file, or auto, which picks an isolating one; unsafe only when named)',
  ).choices(SANDBOX_NAMES);

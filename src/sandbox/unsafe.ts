import { runLimited } from './process.js';
import { interpreterArgs, runtimeFor, SANDBOX_ENV } from './runtimes.js';
import type { Sandbox, SandboxRequest, SandboxResult } from '../core/sandbox.js';
import { firstStderrLine } from '../core/sandbox.js';

/**
 * No isolation at all: the program runs as the user, with the user's files and network. Only
 * ever chosen by name (`--sandbox unsafe`); the CLI warns on every run.
 */
export class UnsafeSandbox implements Sandbox {
  readonly name = 'unsafe';
  readonly gaps = ['no isolation: the code can read and write your files, use the network and outlive the run; memory and process limits are not enforced'];

  explainStartFailure(result: SandboxResult): string {
    return `the interpreter did not start: ${firstStderrLine(result)}; check VETTA_PYTHON / VETTA_NODE`;
  }

  run(request: SandboxRequest): Promise<SandboxResult> {
    const runtime = runtimeFor(request.program);
    return runLimited({
      argv: [runtime.path, ...interpreterArgs(request.program, request.limits), ...request.args.map((a) => a.replaceAll('{box}', request.boxDir))],
      env: { ...SANDBOX_ENV },
      cwd: request.boxDir,
      limits: request.limits,
      limitsBy: 'none',
      signal: request.signal,
      onLine: request.onLine,
      ifVettaDies: { matching: request.boxDir },
      backend: this.name,
    });
  }
}

import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Command } from 'commander';
import { VettaError } from '../core/errors.js';
import { packageRoot } from '../core/paths.js';
import type { CliContext } from './context.js';

const CHECKOUT_ONLY =
  'vetta bench runs from a source checkout: it drives the loopback fakes of Deepgram, ElevenLabs and the LLM and the recorded speech in test/, which the npm package leaves out; clone the repository, run "npm ci", then "npm run bench:voice" or "./bin/vetta.js bench"';

/**
 * `vetta bench`: the voice pipeline's latency and barge-in figures (bench/voice.bench.ts, described
 * in docs/performance.md). The fakes it measures against are test equipment, so the command works
 * in a checkout only, and says so anywhere else; the bench runs in its own Node process with tsx.
 */
export function registerBench(program: Command, ctx: CliContext): void {
  program
    .command('bench')
    .description('measure the voice pipeline: voice-to-voice latency, barge-in, false interruptions, cold start (from a source checkout)')
    .option('--json', 'print one JSON object (fields in docs/performance.md)')
    .option('--turns <n>', 'conversation turns to measure', '10')
    .action(async (opts: { json?: boolean; turns: string }) => {
      const turns = Number(opts.turns);
      if (!Number.isInteger(turns) || turns < 1 || turns > 200)
        throw new VettaError('usage', `--turns takes a whole number from 1 to 200, not "${opts.turns}"`);
      const root = packageRoot();
      const script = join(root, 'bench', 'voice.bench.ts');
      if (!existsSync(script) || !existsSync(join(root, 'test', 'fakes'))) throw new VettaError('not_found', CHECKOUT_ONLY);
      try {
        createRequire(join(root, 'package.json')).resolve('tsx');
      } catch {
        throw new VettaError('not_found', `vetta bench needs the development dependencies (tsx): run "npm ci" in ${root}`);
      }
      const child = spawn(process.execPath, ['--import', 'tsx', script, '--turns', String(turns), ...(opts.json ? ['--json'] : [])], {
        cwd: root,
        env: ctx.env,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      child.stdout.on('data', (d) => ctx.stdout.write(d));
      child.stderr.on('data', (d) => ctx.stderr.write(d));
      const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
      if (code !== 0) throw new VettaError('internal', `the benchmark failed (exit ${code}); its output is above`, { exitCode: 1 });
    });
}

import { resolve } from 'node:path';
import type { Command } from 'commander';
import type { PythonEvaluator } from '../problems/evaluate.js';
import { sandboxEvaluator } from '../problems/evaluate.js';
import { importDataset } from '../problems/import.js';
import type { ImportOutcome } from '../problems/import.js';
import { selectSandbox } from '../sandbox/select.js';
import { styleFor } from '../ui/style.js';
import type { CliContext } from './context.js';
import { sandboxOption } from './context.js';

/** A reason without what differs from record to record, so like reasons are counted together. */
function reasonKind(reason: string): string {
  return reason
    .replace(/^test \d+: /, '')
    .replace(/ at character.*$/, '')
    .replace(/ \S+ already exists.*/, ' already exists')
    .replace(/ \(.*\)$/, '')
    .replace(/^only \d+ of \d+ tests are usable: /, 'too few usable tests: ')
    .replace(/: expected (\S+), got (a string|a list|the integer|the number|the boolean|null|an object).*/, ': expected $1, got $2');
}

function topReasons(reasons: string[], count = 5): string {
  const kinds = new Map<string, number>();
  for (const r of reasons) kinds.set(reasonKind(r), (kinds.get(reasonKind(r)) ?? 0) + 1);
  return [...kinds.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([r, n]) => `${n} ${r}`)
    .join('; ');
}

export function registerImport(problems: Command, ctx: CliContext): void {
  problems
    .command('import')
    .description('convert a LeetCode-style dataset (.jsonl or .jsonl.gz) into problem folders')
    .argument('<file>', 'one JSON object a line: task_id, difficulty, tags, problem_description, starter_code, input_output, completion')
    .option('--out <dir>', 'where to write the problem folders', 'problems')
    .option('--overwrite', 'replace problem folders that already exist')
    .option('--json', "print every record's outcome as JSON")
    .addOption(sandboxOption())
    .action(async (file: string, opts: { out: string; overwrite?: boolean; json?: boolean; sandbox?: string }) => {
      const style = styleFor(ctx.stdout, ctx.env);
      const live = Boolean(ctx.stderr.isTTY) && !opts.json;
      // Tests written as Python expressions are evaluated in the sandbox, chosen when first needed.
      let evaluator: PythonEvaluator | undefined;
      const evaluate: PythonEvaluator = async (expressions, signal) => {
        if (!evaluator) {
          try {
            evaluator = sandboxEvaluator(selectSandbox(ctx.sandboxName(opts.sandbox), ctx.env));
          } catch (e) {
            const reason = `no sandbox to evaluate it in: ${(e as Error).message}`;
            evaluator = async (exprs) => exprs.map(() => ({ ok: false, reason }));
          }
        }
        return evaluator(expressions, signal);
      };
      let done = 0;
      let ok = 0;
      let shownAt = 0;
      const started = performance.now();
      const outcomes = await importDataset(file, {
        outDir: resolve(opts.out),
        overwrite: opts.overwrite,
        evaluate,
        onProgress: (o: ImportOutcome) => {
          done++;
          if (o.ok) ok++;
          const now = performance.now();
          if (live && now - shownAt > 200) {
            shownAt = now;
            ctx.stderr.write(`\r\u001b[2Kread ${done} records, converted ${ok} (${Math.round((done * 1000) / (now - started))} a second)`);
          }
        },
      });
      if (live) ctx.stderr.write('\r\u001b[2K');
      const skipped = outcomes.filter((o) => !o.ok);
      const dropped = outcomes.flatMap((o) => o.dropped ?? []);
      if (opts.json) {
        ctx.stdout.write(
          `${JSON.stringify({ out: resolve(opts.out), converted: ok, skipped: skipped.length, droppedTests: dropped.length, records: outcomes }, null, 2)}\n`,
        );
      } else {
        for (const s of skipped) ctx.stdout.write(`${style.yellow('skipped')} line ${s.line}${s.id ? ` (${s.id})` : ''}: ${s.reason}\n`);
        const withDropped = outcomes.filter((o) => o.ok && o.dropped);
        if (dropped.length > 0)
          ctx.stdout.write(
            `dropped ${dropped.length} broken tests from ${withDropped.length} problems (kept the rest): ${topReasons(
              dropped.map((d) => d.reason),
              3,
            )}\n`,
          );
        const why = skipped.length ? `; skipped ${skipped.length}: ${topReasons(skipped.map((s) => s.reason ?? ''))}` : '';
        ctx.stdout.write(`converted ${ok} of ${outcomes.length} problems into ${resolve(opts.out)}${why}\n`);
        if (ok > 0) ctx.stdout.write(`next: vetta problems validate ${opts.out}\n`);
      }
      ctx.exitCode = ok > 0 || outcomes.length === 0 ? 0 : 1;
    });
}

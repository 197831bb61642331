import { resolve } from 'node:path';
import type { Command } from 'commander';
import { importDataset } from '../problems/import.js';
import { styleFor } from '../ui/style.js';
import type { CliContext } from './context.js';

export function registerImport(problems: Command, ctx: CliContext): void {
  problems
    .command('import')
    .description('convert a LeetCode-style dataset (.jsonl or .jsonl.gz) into problem folders')
    .argument('<file>', 'one JSON object a line: task_id, difficulty, tags, problem_description, starter_code, input_output, completion')
    .option('--out <dir>', 'where to write the problem folders', 'problems')
    .option('--overwrite', 'replace problem folders that already exist')
    .option('--json', 'print every record\'s outcome as JSON')
    .action(async (file: string, opts: { out: string; overwrite?: boolean; json?: boolean }) => {
      const style = styleFor(ctx.stdout, ctx.env);
      const live = Boolean(ctx.stderr.isTTY) && !opts.json;
      let done = 0;
      let ok = 0;
      const outcomes = await importDataset(file, {
        outDir: resolve(opts.out),
        overwrite: opts.overwrite,
        onProgress: (o) => {
          done++;
          if (o.ok) ok++;
          if (live && done % 25 === 0) ctx.stderr.write(`\rread ${done} records, converted ${ok}`);
        },
      });
      if (live) ctx.stderr.write('\r\u001b[2K');
      const skipped = outcomes.filter((o) => !o.ok);
      if (opts.json) {
        ctx.stdout.write(`${JSON.stringify({ out: resolve(opts.out), converted: ok, skipped: skipped.length, records: outcomes }, null, 2)}\n`);
      } else {
        for (const s of skipped) ctx.stdout.write(`${style.yellow('skipped')} line ${s.line}${s.id ? ` (${s.id})` : ''}: ${s.reason}\n`);
        const reasons = new Map<string, number>();
        for (const s of skipped) {
          const kind = (s.reason ?? '').replace(/^test \d+: /, '').replace(/ at character.*$/, '').replace(/ \S+ already exists.*/, ' already exists');
          reasons.set(kind, (reasons.get(kind) ?? 0) + 1);
        }
        const top = [...reasons.entries()].sort((a, b) => b[1] - a[1]).slice(0, 5).map(([r, n]) => `${n} ${r}`);
        ctx.stdout.write(`converted ${ok} of ${outcomes.length} problems into ${resolve(opts.out)}${skipped.length ? `; skipped ${skipped.length}: ${top.join('; ')}` : ''}\n`);
        if (ok > 0) ctx.stdout.write(`next: vetta problems validate ${opts.out}\n`);
      }
      ctx.exitCode = ok > 0 || outcomes.length === 0 ? 0 : 1;
    });
}

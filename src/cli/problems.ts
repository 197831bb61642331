import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { Option } from 'commander';
import { VettaError } from '../core/errors.js';
import type { Problem } from '../problems/load.js';
import { isProblemDir, loadProblem, ProblemFormatError, ProblemSet } from '../problems/load.js';
import { writeScaffold } from '../problems/scaffold.js';
import { validateMany } from '../problems/validate.js';
import type { ProblemValidation } from '../problems/validate.js';
import { selectSandbox } from '../sandbox/select.js';
import { renderMarkdown } from '../ui/markdown.js';
import { styleFor } from '../ui/style.js';

import type { CliContext } from './context.js';
import { registerImport } from './import.js';
import { sandboxOption } from './context.js';
import { warnAboutSandbox } from './run.js';

function signatureLine(p: Problem): string {
  if (p.meta.function) {
    const f = p.meta.function;
    return `${f.javascript}(${f.params.map((x) => `${x.name}: ${x.type}`).join(', ')}) -> ${f.returns}`;
  }
  const d = p.meta.design!;
  const methods = Object.entries(d.methods).map(([n, m]) => `${n}(${m.params.map((x) => `${x.name}: ${x.type}`).join(', ')}) -> ${m.returns}`);
  return `class ${d.class}(${d.constructor.map((x) => `${x.name}: ${x.type}`).join(', ')}): ${methods.join('; ')}`;
}

/** "about 4 min 10 s left", from the pace so far. */
function timeLeft(elapsedMs: number, done: number, total: number): string {
  const seconds = Math.round(((elapsedMs / done) * (total - done)) / 1000);
  return seconds >= 60 ? `about ${Math.floor(seconds / 60)} min ${seconds % 60} s left` : `about ${seconds} s left`;
}

function reportBroken(set: ProblemSet, ctx: CliContext): void {
  const style = styleFor(ctx.stderr, ctx.env);
  for (const b of set.broken) ctx.stderr.write(style.yellow(`warning: skipped ${b.errors[0]} (run "vetta problems validate ${b.dir}")\n`));
}

export function registerProblems(program: Command, ctx: CliContext): void {
  const problems = program.command('problems').description('list, read, check and create problems');

  problems
    .command('list')
    .description('list the problems')
    .option('--tag <tag>', 'only problems with this tag')
    .addOption(new Option('--difficulty <level>', 'only problems of this difficulty').choices(['easy', 'medium', 'hard']))
    .option('--json', 'print a JSON array')
    .action((opts: { tag?: string; difficulty?: string; json?: boolean }) => {
      const set = ctx.problemSet();
      reportBroken(set, ctx);
      const list = set
        .list()
        .filter((p) => !opts.tag || p.meta.tags.includes(opts.tag))
        .filter((p) => !opts.difficulty || p.meta.difficulty === opts.difficulty);
      if (opts.json) {
        const rows = list.map((p) => ({ id: p.id, title: p.meta.title, difficulty: p.meta.difficulty, tags: p.meta.tags, origin: p.origin, dir: p.dir }));
        ctx.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
        return;
      }
      const style = styleFor(ctx.stdout, ctx.env);
      if (list.length === 0) {
        ctx.stdout.write('no problems match\n');
        return;
      }
      const idWidth = list.reduce((w, p) => Math.max(w, p.id.length), 0);
      // One write: thousands of small ones cost more than listing the problems.
      const rows = list.map((p) => {
        const diff = p.meta.difficulty === 'easy' ? style.green : p.meta.difficulty === 'medium' ? style.yellow : style.red;
        return `${p.id.padEnd(idWidth)}  ${diff(p.meta.difficulty.padEnd(6))}  ${p.meta.title}  ${style.dim(p.meta.tags.join(', '))}\n`;
      });
      ctx.stdout.write(rows.join(''));
    });

  problems
    .command('show')
    .description("show a problem's statement")
    .argument('<problem>', 'a problem id, or a problem folder')
    .option('--json', 'print the problem as JSON (front matter and statement)')
    .action((ref: string, opts: { json?: boolean }) => {
      const p = ctx.problemSet().get(ref);
      if (opts.json) {
        const { hints: _hints, ...meta } = p.meta;
        ctx.stdout.write(`${JSON.stringify({ ...meta, statement: p.statement, dir: p.dir }, null, 2)}\n`);
        return;
      }
      const style = styleFor(ctx.stdout, ctx.env);
      const width = Math.min(ctx.stdout.columns || 80, 100);
      ctx.stdout.write(`${style.bold(p.meta.title)}  ${style.dim(`${p.meta.difficulty} · ${p.meta.tags.join(', ')}`)}\n`);
      ctx.stdout.write(`${style.dim(signatureLine(p))}\n\n`);
      ctx.stdout.write(`${renderMarkdown(p.statement, style, width)}\n`);
    });

  problems
    .command('validate')
    .description('check problems: format, reference solutions accepted, starters load, wrong solutions rejected')
    .argument('[dirs...]', 'problem folders, or folders of problems (default: every known problem)')
    .option('--json', 'print the results as JSON')
    .option('--jobs <n>', 'how many problems to judge at once (default: one per core)')
    .addOption(sandboxOption())
    .action(async (dirs: string[], opts: { json?: boolean; sandbox?: string; jobs?: string }) => {
      const style = styleFor(ctx.stderr, ctx.env);
      const targets: { dir: string; problem?: Problem; errors?: string[] }[] = [];
      if (dirs.length === 0) {
        const set = ctx.problemSet();
        for (const p of set.list()) targets.push({ dir: p.dir, problem: p });
        for (const b of set.broken) targets.push({ dir: b.dir, errors: b.errors });
      } else {
        for (const d of dirs) {
          if (!existsSync(d)) throw new VettaError('not_found', `${d} does not exist`);
          const set = isProblemDir(d) ? null : new ProblemSet({ extraDirs: [d], includeBuiltin: false, env: {} });
          if (set) {
            if (set.problems.size === 0 && set.broken.length === 0)
              throw new VettaError('not_found', `${d} has no problem folders (a problem folder has a problem.md)`);
            for (const p of set.list()) targets.push({ dir: p.dir, problem: p });
            for (const b of set.broken) targets.push({ dir: b.dir, errors: b.errors });
          } else {
            try {
              targets.push({ dir: resolve(d), problem: loadProblem(resolve(d)) });
            } catch (e) {
              if (!(e instanceof ProblemFormatError)) throw e;
              targets.push({ dir: resolve(d), errors: e.errors });
            }
          }
        }
      }
      const sandbox = selectSandbox(ctx.sandboxName(opts.sandbox), ctx.env);
      warnAboutSandbox(sandbox, ctx, style);
      const live = !opts.json && Boolean(ctx.stderr.isTTY);
      const out = styleFor(ctx.stdout, ctx.env);
      const total = targets.length;
      const started = performance.now();
      let done = 0;
      let reportedTenth = 0;
      const report = (v: ProblemValidation) => {
        done++;
        if (live) ctx.stderr.write('\r\u001b[2K');
        if (!opts.json) {
          ctx.stdout.write(`${v.ok ? out.green('ok  ') : out.red('FAIL')} [${done}/${total}] ${v.id}\n`);
          for (const c of v.checks) if (!c.ok) ctx.stdout.write(`     ${out.red('✗')} ${c.subject}: ${c.detail}\n`);
          for (const w of v.warnings) ctx.stdout.write(`     ${out.yellow('!')} ${w}\n`);
        }
        const line = `validated ${done} of ${total}${done < total ? `, ${timeLeft(performance.now() - started, done, total)}` : ''}`;
        if (live) ctx.stderr.write(style.dim(line));
        else if (!opts.json && total >= 100 && Math.floor((done * 10) / total) > reportedTenth) {
          reportedTenth = Math.floor((done * 10) / total);
          ctx.stderr.write(`${line}\n`);
        }
      };
      const broken: ProblemValidation[] = targets
        .filter((t) => !t.problem)
        .map((t) => ({
          id: t.dir,
          dir: t.dir,
          ok: false,
          checks: (t.errors ?? []).map((e) => ({ subject: 'problem.md', ok: false, detail: e })),
          warnings: [],
        }));
      broken.forEach(report);
      const jobs = opts.jobs === undefined ? undefined : Number(opts.jobs);
      if (jobs !== undefined && !(Number.isInteger(jobs) && jobs > 0)) throw new VettaError('usage', `--jobs ${opts.jobs}: expected a whole number above 0`);
      const judged = await validateMany(
        targets.flatMap((t) => (t.problem ? [t.problem] : [])),
        sandbox,
        { concurrency: jobs, onResult: report },
      );
      if (live) ctx.stderr.write('\r\u001b[2K');
      const results = [...judged, ...broken];
      const failed = results.filter((r) => !r.ok);
      if (opts.json) ctx.stdout.write(`${JSON.stringify({ ok: failed.length === 0, problems: results }, null, 2)}\n`);
      else
        ctx.stdout.write(
          failed.length === 0
            ? `all ${results.length} problems valid\n`
            : `${failed.length} of ${results.length} problems failed: ${failed
                .slice(0, 20)
                .map((f) => f.id)
                .join(', ')}${failed.length > 20 ? ` and ${failed.length - 20} more` : ''}\n`,
        );
      ctx.exitCode = failed.length === 0 ? 0 : 1;
    });

  problems
    .command('new')
    .description('write a new problem folder to start from (it validates as it is)')
    .argument('<id>', "the new problem's id: lowercase letters, digits and dashes")
    .option('--dir <dir>', 'where to create it', '.')
    .action((id: string, opts: { dir: string }) => {
      const dir = writeScaffold(id, opts.dir);
      ctx.stdout.write(`created ${dir}\nnext: edit problem.md and tests.json, then run: vetta problems validate ${dir}\n`);
    });

  registerImport(problems, ctx);
}

import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { Option } from 'commander';
import { VettaError } from '../core/errors.js';
import { count } from '../interview/scorecard.js';
import type { InterviewEvent } from '../interview/state.js';
import type { Language } from '../problems/load.js';
import { openSessionStore } from '../store/sessions.js';
import type { GcReport, SessionStore } from '../store/sessions.js';
import { styleFor } from '../ui/style.js';
import type { CliContext } from './context.js';
import { formatTime, parseExport, renderJson, renderMarkdown, renderText, sessionReport, summaryJson } from './session-report.js';

const DAY_MS = 24 * 60 * 60 * 1000;

export const storeOption = () =>
  new Option(
    '--store <url>',
    'where sessions live: redis://HOST:PORT, or a SQLite file (default: VETTA_STORE, "store" in the config file, or $XDG_DATA_HOME/vetta/sessions.db)',
  );

/** The store in force: --store, else VETTA_STORE, else the config file's "store", else the default file. */
export function storeUrl(flag: string | undefined, ctx: CliContext): string | undefined {
  if (flag) return flag;
  if (ctx.env.VETTA_STORE) return ctx.env.VETTA_STORE;
  return ctx.config().store;
}

/** Days a finished or abandoned session is kept: "sessionRetentionDays" in the config file, else 90. */
export function retentionMs(ctx: CliContext): number | undefined {
  const days = ctx.config().sessionRetentionDays;
  return days === undefined ? undefined : days * DAY_MS;
}

/** Opens the session store the flags, environment and config name; close it when done. */
export async function openStoreFor(flag: string | undefined, ctx: CliContext): Promise<SessionStore<InterviewEvent, Language>> {
  const retention = retentionMs(ctx);
  return openSessionStore<InterviewEvent, Language>(storeUrl(flag, ctx), { env: ctx.env, ...(retention ? { retentionMs: retention } : {}) });
}

async function withStore(cmd: Command, ctx: CliContext, work: (store: SessionStore<InterviewEvent, Language>) => Promise<void>): Promise<void> {
  const store = await openStoreFor(cmd.optsWithGlobals<{ store?: string }>().store, ctx);
  try {
    await work(store);
  } finally {
    await store.close();
  }
}

const size = (bytes: number) => (bytes < 1_048_576 ? `${Math.ceil(bytes / 1024)} KB` : `${(bytes / 1_048_576).toFixed(1)} MB`);

function gcLine(report: GcReport): string {
  const finished = report.removed.filter((r) => r.status === 'finished').length;
  const parts = [
    report.removed.length === 0
      ? 'nothing expired'
      : `removed ${count(report.removed.length, 'session')} (${finished} finished, ${report.removed.length - finished} abandoned), ${count(report.keysDeleted, 'key')}`,
  ];
  if (report.expiredKeysSwept > 0) parts.push(`swept ${count(report.expiredKeysSwept, 'expired key')}`);
  if (report.sizeBytes) parts.push(`store ${size(report.sizeBytes.before)} -> ${size(report.sizeBytes.after)}`);
  if (report.abandonedKept > 0) parts.push(`${count(report.abandonedKept, 'abandoned session')} kept until they expire`);
  return parts.join('; ');
}

export function registerSessions(program: Command, ctx: CliContext): void {
  const sessions = program.command('sessions').description('interviews as they were saved: list, show, export, import, remove, clean up');

  sessions
    .command('list')
    .description('every saved session, newest first')
    .option('--json', 'print a JSON array')
    .addOption(storeOption())
    .action((opts: { json?: boolean }, cmd: Command) =>
      withStore(cmd, ctx, async (store) => {
        const list = await store.list();
        if (opts.json) {
          ctx.stdout.write(`${JSON.stringify(list.map(summaryJson), null, 2)}\n`);
          return;
        }
        if (list.length === 0) {
          ctx.stdout.write(`no sessions in ${store.location}\n`);
          return;
        }
        const style = styleFor(ctx.stdout, ctx.env);
        const problemWidth = Math.max(7, ...list.map((s) => s.init.problemId.length));
        const row = (cells: string[]) =>
          `${cells[0]!.padEnd(8)}  ${cells[1]!.padEnd(problemWidth)}  ${cells[2]!.padEnd(16)}  ${cells[3]!.padEnd(9)}  ${cells[4]!.padEnd(9)}  ${cells[5]!.padStart(5)}  ${cells[6]}`;
        ctx.stdout.write(`${style.bold(row(['id', 'problem', 'started', 'phase', 'status', 'hints', 'last verdict']))}\n`);
        for (const s of list) {
          ctx.stdout.write(
            `${row([s.id.slice(0, 8), s.init.problemId, formatTime(s.startedAtMs), s.phase, s.status, String(s.hints), s.lastVerdict ?? '-'])}\n`,
          );
        }
      }),
    );

  sessions
    .command('show')
    .description('a session: transcript, code history, test runs, scorecard, reply times')
    .argument('<id>', 'the session id, or the start of it')
    .addOption(storeOption())
    .action((id: string, _opts: unknown, cmd: Command) =>
      withStore(cmd, ctx, async (store) => {
        const report = sessionReport(await store.load(await store.resolve(id)));
        ctx.stdout.write(renderText(report, store.location));
      }),
    );

  sessions
    .command('export')
    .description('a session as JSON (every event, versioned) or Markdown')
    .argument('<id>', 'the session id, or the start of it')
    .addOption(new Option('--format <format>', 'json or md').choices(['json', 'md']).default('json'))
    .addOption(storeOption())
    .action((id: string, opts: { format: 'json' | 'md' }, cmd: Command) =>
      withStore(cmd, ctx, async (store) => {
        const report = sessionReport(await store.load(await store.resolve(id)));
        ctx.stdout.write(opts.format === 'md' ? renderMarkdown(report) : renderJson(report));
      }),
    );

  sessions
    .command('import')
    .description('put a session kept in a file into the store: one an interview kept locally while the store was away, or an export')
    .argument('<file>', 'a session as JSON ("vetta sessions export ID --format json")')
    .addOption(storeOption())
    .action((file: string, _opts: unknown, cmd: Command) =>
      withStore(cmd, ctx, async (store) => {
        let text: string;
        try {
          text = readFileSync(file, 'utf8');
        } catch (e) {
          throw new VettaError('not_found', `${file} cannot be read (${(e as NodeJS.ErrnoException).code}); give the file the interview named`);
        }
        const session = parseExport(text, file);
        await store.lock(session.init.sessionId);
        const added = await store.import(session);
        ctx.stdout.write(
          `imported session ${session.init.sessionId.slice(0, 8)} into ${store.location}: ${count(session.events.length, 'event')}, ${added} of them new\n`,
        );
      }),
    );

  sessions
    .command('rm')
    .description('delete a session')
    .argument('<id>', 'the session id, or the start of it')
    .addOption(storeOption())
    .action((id: string, _opts: unknown, cmd: Command) =>
      withStore(cmd, ctx, async (store) => {
        const full = await store.resolve(id);
        const keys = await store.remove(full);
        ctx.stdout.write(`removed session ${full} (${count(keys, 'key')})\n`);
      }),
    );

  sessions
    .command('gc')
    .description('delete sessions past their retention (90 days after they finish or are abandoned) and give the space back')
    .option('--json', 'print what was freed as JSON')
    .addOption(storeOption())
    .action((opts: { json?: boolean }, cmd: Command) =>
      withStore(cmd, ctx, async (store) => {
        const report = await store.gc();
        ctx.stdout.write(opts.json ? `${JSON.stringify(report, null, 2)}\n` : `${gcLine(report)}\n`);
      }),
    );
}

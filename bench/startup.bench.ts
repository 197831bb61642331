/**
 * npm run bench:startup [-- --json]: how long the built CLI takes to start (issue #6, "Cold start").
 *
 * - `vetta --help`: wall time of the whole process.
 * - `vetta practice --problem valid-anagram --llm scripted` in tmux (80x24): from the moment the
 *   shell execs node to the first full-screen frame (the key bar on the last row) and to the
 *   interviewer's introduction on screen. Goal: the frame within 300 ms.
 * - Where the CLI has `--text` (full screen speaks by default), the same with `--text` too.
 * - The same with `--voice --tts espeak` into a private PulseAudio null sink: from exec to the
 *   first audible chunk read back from the sink's monitor (parec, 20 ms latency). Goal: 1 s.
 *
 * Each figure is the median of BENCH_RUNS runs (default 5), each with fresh data and config folders;
 * the operating system's file cache is warm, as for anyone who has run vetta before.
 * docs/performance.md ("Cold start") records the figures.
 */
import { execFile, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { findOnPath } from '../src/core/find-on-path.ts';
import { pulseUnavailable, startPulse } from '../test/audio/pulse.ts';
import type { Pulse } from '../test/audio/pulse.ts';

const RUNS = Math.max(1, Number(process.env.BENCH_RUNS ?? 5));
const FRAME_GOAL_MS = 300;
const AUDIO_GOAL_MS = 1000;
const TIMEOUT_MS = 30_000;
const json = process.argv.includes('--json');
// BENCH_CLI: another build's bin/vetta.js, to compare two builds on the same machine and load.
const cli = process.env.BENCH_CLI ?? join(import.meta.dirname, '..', 'bin', 'vetta.js');
const PRACTICE = ['practice', '--problem', 'valid-anagram', '--llm', 'scripted'];

const run = promisify(execFile);
const median = (xs: number[]) => (xs.length ? [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]! : undefined);
const nowMs = () => performance.timeOrigin + performance.now();
const log = (line: string) => {
  if (!json) process.stdout.write(`${line}\n`);
};
const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

if (!existsSync(join(cli, '..', '..', 'dist', 'cli', 'main.js'))) {
  process.stderr.write('bench: not built; run npm run build first\n');
  process.exit(2);
}
const tmux = findOnPath('tmux');
if (!tmux) {
  process.stderr.write('bench: tmux is not installed (apt-get install tmux)\n');
  process.exit(2);
}

function freshHome(): { env: Record<string, string>; dispose(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'vetta-startup-'));
  return {
    env: { XDG_DATA_HOME: join(dir, 'data'), XDG_CONFIG_HOME: join(dir, 'config'), NO_COLOR: '1' },
    dispose: () => rmSync(dir, { recursive: true, force: true }),
  };
}

// ---- vetta --help ------------------------------------------------------------------------------

const helpMs: number[] = [];
for (let i = 0; i < RUNS; i++) {
  const home = freshHome();
  const startedAt = nowMs();
  const r = spawnSync(process.execPath, [cli, '--help'], { env: { ...process.env, ...home.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  helpMs.push(nowMs() - startedAt);
  home.dispose();
  if (r.status !== 0) throw new Error(`vetta --help failed: ${r.stderr}`);
}
log(`vetta --help: p50 ${Math.round(median(helpMs)!)} ms (${helpMs.map(Math.round).join(', ')})`);

// ---- vetta practice in a terminal ------------------------------------------------------------------

const socket = `vetta-bench-${process.pid}`;
const tmuxRun = (args: string[]) => run(tmux, ['-L', socket, ...args], { encoding: 'utf8' });

interface Launch {
  /** When the shell exec'd node, in ms since the epoch. */
  execAt: number;
  /** Resolves with the time the screen first matches, in ms since the epoch. */
  seen(pattern: RegExp, lastRow?: boolean): Promise<number>;
  close(): Promise<void>;
}

async function launch(name: string, args: string[], env: Record<string, string>): Promise<Launch> {
  const home = freshHome();
  const stamp = join(tmpdir(), `${socket}-${name}.t0`);
  const vars = Object.entries({ ...env, ...home.env })
    .map(([k, v]) => `${k}=${quote(v)}`)
    .join(' ');
  const command = `date +%s%N > ${quote(stamp)}; exec env ${vars} ${quote(process.execPath)} ${quote(cli)} ${args.map(quote).join(' ')}`;
  await tmuxRun(['new-session', '-d', '-x', '80', '-y', '24', '-s', name, 'sh', '-c', command]);
  const pid = Number((await tmuxRun(['display-message', '-p', '-t', name, '#{pane_pid}'])).stdout.trim());
  const deadline = Date.now() + TIMEOUT_MS;
  while (!existsSync(stamp) || readFileSync(stamp, 'utf8').trim() === '') {
    if (Date.now() > deadline) throw new Error(`${name}: the shell never started`);
    await new Promise((r) => setTimeout(r, 2));
  }
  const execAt = Number(BigInt(readFileSync(stamp, 'utf8').trim()) / 1000n) / 1000;
  rmSync(stamp);
  return {
    execAt,
    async seen(pattern, lastRow = false) {
      let shown = '';
      while (Date.now() < deadline) {
        shown = (await tmuxRun(['capture-pane', '-p', '-t', name])).stdout;
        const at = nowMs();
        const text = lastRow ? (shown.trimEnd().split('\n').at(-1) ?? '') : shown.replace(/[│╭╮╰╯─]/g, ' ').replace(/\s+/g, ' ');
        if (pattern.test(text)) return at;
      }
      throw new Error(`${name}: timed out waiting for ${pattern}; the screen shows:\n${shown}`);
    },
    async close() {
      await tmuxRun(['kill-session', '-t', name]).catch(() => {});
      // The next run starts on an idle machine, not beside this one's exit.
      for (let i = 0; i < 500; i++) {
        try {
          process.kill(pid, 0);
        } catch {
          break;
        }
        await new Promise((r) => setTimeout(r, 10));
      }
      home.dispose();
    },
  };
}

/** First frame and introduction, in ms after exec, over RUNS runs. */
async function measureText(label: string, args: string[]): Promise<{ frameMs: number[]; introMs: number[] }> {
  const frameMs: number[] = [];
  const introMs: number[] = [];
  try {
    for (let i = 0; i < RUNS; i++) {
      const session = await launch(`${label}${i}`, args, {});
      frameMs.push((await session.seen(/\^E edit/, true)) - session.execAt);
      introMs.push((await session.seen(/Today's problem is Valid Anagram/)) - session.execAt);
      await session.close();
    }
  } finally {
    await tmuxRun(['kill-server']).catch(() => {});
  }
  const name = `practice${args
    .slice(PRACTICE.length)
    .map((a) => ` ${a}`)
    .join('')}`;
  log(`${name}, first frame: p50 ${Math.round(median(frameMs)!)} ms (${frameMs.map(Math.round).join(', ')}); goal ${FRAME_GOAL_MS} ms`);
  log(`${name}, introduction on screen: p50 ${Math.round(median(introMs)!)} ms (${introMs.map(Math.round).join(', ')})`);
  return { frameMs, introMs };
}

const { frameMs, introMs } = await measureText('text', PRACTICE);
// Where full screen speaks by default, --text is the typed interview alone: the screen's own cost.
const hasTextFlag = spawnSync(process.execPath, [cli, 'practice', '--help'], { encoding: 'utf8' }).stdout.includes('--text');
const typed = hasTextFlag ? await measureText('typed', [...PRACTICE, '--text']) : { frameMs: [], introMs: [] };

// ---- vetta practice --voice: the first audio ------------------------------------------------------

/** Resolves with the time the first audible sample reaches the sink's monitor. */
function firstAudio(pulse: Pulse): { ready: Promise<void>; heard: Promise<number>; stop(): void } {
  const rec = spawn('parec', ['-d', `${pulse.sink}.monitor`, '--raw', '--format=s16le', '--rate=16000', '--channels=1', '--latency-msec=20'], {
    env: pulse.env,
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  let resolveReady!: () => void;
  const ready = new Promise<void>((r) => (resolveReady = r));
  const heard = new Promise<number>((resolve, reject) => {
    rec.stdout.on('data', (chunk: Buffer) => {
      const at = nowMs();
      resolveReady();
      for (let i = 0; i + 1 < chunk.length; i += 2) {
        if (Math.abs(chunk.readInt16LE(i)) > 1000) {
          // The chunk arrived at `at`; this sample was played the rest of the chunk earlier.
          resolve(at - ((chunk.length - i) / 2 / 16000) * 1000);
          return;
        }
      }
    });
    rec.on('close', () => reject(new Error('parec stopped before any sound')));
  });
  heard.catch(() => {});
  return { ready, heard, stop: () => rec.kill('SIGTERM') };
}

const audioMs: number[] = [];
const heardMs: number[] = [];
const voiceFrameMs: number[] = [];
const noPulse = pulseUnavailable() || (findOnPath('espeak-ng') ? false : 'espeak-ng is not installed');
if (noPulse) log(`practice --voice: skipped (${noPulse})`);
else {
  const pulse = await startPulse();
  try {
    for (let i = 0; i < RUNS; i++) {
      const listener = firstAudio(pulse);
      await listener.ready;
      // Vetta marks the first sample it writes; the sink's monitor hears it later (its start-up).
      const marks = join(tmpdir(), `${socket}-voice${i}.marks`);
      const session = await launch(`voice${i}`, [...PRACTICE, '--voice', '--tts', 'espeak', '--output-device', pulse.sink], {
        HOME: pulse.env.HOME!,
        XDG_RUNTIME_DIR: pulse.env.XDG_RUNTIME_DIR!,
        PULSE_SERVER: pulse.env.PULSE_SERVER!,
        VETTA_MARKS: marks,
      });
      voiceFrameMs.push((await session.seen(/\^E edit/, true)) - session.execAt);
      heardMs.push((await listener.heard) - session.execAt);
      const written = readFileSync(marks, 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { mark: string; at: number })
        .find((m) => m.mark === 'first-sample');
      if (written) audioMs.push(written.at - session.execAt);
      rmSync(marks, { force: true });
      listener.stop();
      await session.close();
    }
  } finally {
    await tmuxRun(['kill-server']).catch(() => {});
    pulse.close();
  }
  log(`practice --voice --tts espeak, first frame: p50 ${Math.round(median(voiceFrameMs)!)} ms (${voiceFrameMs.map(Math.round).join(', ')})`);
  log(
    `practice --voice --tts espeak, first sample written: p50 ${Math.round(median(audioMs)!)} ms (${audioMs.map(Math.round).join(', ')}); goal ${AUDIO_GOAL_MS} ms`,
  );
  log(`practice --voice --tts espeak, heard at the null sink's monitor: p50 ${Math.round(median(heardMs)!)} ms (${heardMs.map(Math.round).join(', ')})`);
}

if (json) {
  const p50 = (xs: number[]) => (xs.length ? Math.round(median(xs)!) : null);
  process.stdout.write(
    `${JSON.stringify({ runs: RUNS, helpMs: p50(helpMs), firstFrameMs: p50(frameMs), introductionMs: p50(introMs), textFirstFrameMs: p50(typed.frameMs), textIntroductionMs: p50(typed.introMs), voiceFirstFrameMs: p50(voiceFrameMs), firstAudioMs: p50(audioMs), heardAtSinkMs: p50(heardMs) })}\n`,
  );
}

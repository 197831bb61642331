import type { Scorecard } from '../interview/scorecard.js';
import type { Recording, RecordingLine } from './recording.js';
import { clockLabel } from './report.js';

/** One key of a chunk read from the terminal: an arrow (ESC [ A, or ESC O A), or any one character. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: arrow keys start with ESC
const ONE_KEY = /\u001b(?:\[|O)[A-D]|[\s\S]/gu;

/** The colours a terminal may show; src/ui's Style fits. */
export interface Paint {
  bold(s: string): string;
  dim(s: string): string;
  yellow(s: string): string;
  cyan(s: string): string;
  green(s: string): string;
  red(s: string): string;
}

export interface PlayOptions {
  out: NodeJS.WritableStream;
  paint: Paint;
  /** 1 is the interview's own pace, 2 twice as fast; Infinity prints at once. */
  speed: number;
  /** Raw key presses (a TTY in raw mode): space pauses, the right arrow skips, q quits. */
  keys?: NodeJS.ReadableStream | null;
}

/** A line for the screen, or null for what is not shown (LLM traffic, ticks, actions that events show). */
export function renderLine(line: RecordingLine, paint: Paint): string | null {
  switch (line.type) {
    case 'event': {
      const e = line.event;
      switch (e.type) {
        case 'candidate_said':
          return `${paint.bold('you:')} ${e.text}`;
        case 'interviewer_said':
          return `${paint.cyan('interviewer:')} ${e.text}`;
        case 'tests_ran': {
          const colour = e.run.verdict === 'accepted' ? paint.green : paint.red;
          return colour(`[${e.run.kind}] ${e.run.verdict}: ${e.run.summary}`);
        }
        case 'hint_given':
          return paint.yellow(`[hint: ${e.level}, ${e.reason === 'asked' ? 'asked for' : e.reason === 'stuck' ? 'idle too long' : 'after failing runs'}]`);
        case 'phase_changed':
          return paint.dim(`-- ${e.phase.replace('_', ' ')} --`);
        case 'code_saved':
          return paint.dim(`[code saved: ${e.code.split('\n').length} lines]`);
        default:
          return null;
      }
    }
    case 'notice':
      return paint.yellow(`note: ${line.text}`);
    case 'transcript':
      return line.final ? paint.dim(`(heard) ${line.text}`) : null;
    case 'interruption':
      return paint.dim(`[the interviewer was interrupted by ${line.by}]`);
    case 'scorecard':
      return scorecardText(line.card, paint);
    default:
      return null;
  }
}

function scorecardText(card: Scorecard, paint: Paint): string {
  const rows = [
    ['problem solving', card.problemSolving],
    ['code quality', card.codeQuality],
    ['testing', card.testing],
    ['communication', card.communication],
  ] as const;
  return [paint.bold('scorecard'), ...rows.map(([name, item]) => `  ${name.padEnd(16)} ${item.grade}/4  ${item.note}`)].join('\n');
}

type Wake = 'skip' | 'pause' | 'quit';

/** Waits that a key can cut short (skip), stretch (pause) or end (quit). */
class Pacer {
  paused = false;
  quit = false;
  /** A skip pressed when nothing was waiting (or in the same chunk as another key) skips the next wait. */
  private skipPending = false;
  private wake: ((why: Wake) => void) | null = null;

  private rouse(why: Wake): boolean {
    const wake = this.wake;
    this.wake = null;
    wake?.(why);
    return wake !== null;
  }

  press(key: string): void {
    if (key === ' ') {
      this.paused = !this.paused;
      this.rouse('pause');
    } else if (key === '\u001b[C' || key === '\u001bOC' || key === 'n') {
      if (!this.rouse('skip')) this.skipPending = true;
    } else if (key === 'q' || key === '\u0003') {
      this.quit = true;
      this.rouse('quit');
    }
  }

  async wait(ms: number): Promise<void> {
    let remaining = ms;
    while (!this.quit && (this.paused || remaining > 0)) {
      if (this.skipPending) {
        this.skipPending = false;
        return;
      }
      const started = Date.now();
      const why = await new Promise<Wake | 'time'>((resolve) => {
        const timer = this.paused
          ? null
          : setTimeout(() => {
              this.wake = null;
              resolve('time');
            }, remaining);
        this.wake = (w) => {
          if (timer) clearTimeout(timer);
          resolve(w);
        };
      });
      if (why === 'time' || why === 'skip') return;
      if (this.paused) remaining -= Date.now() - started;
    }
  }
}

/** Plays a recording back like a terminal-session player, at the interview's own pace times `speed`. */
export async function play(recording: Recording, options: PlayOptions): Promise<void> {
  const { header } = recording;
  const { out, paint } = options;
  const pacer = new Pacer();
  // A chunk may hold several keys (typed fast, or pasted); an arrow is one three-byte key.
  const onKey = (data: Buffer | string) => {
    for (const key of data.toString().match(ONE_KEY) ?? []) pacer.press(key);
  };
  options.keys?.on('data', onKey);
  const write = (text: string) => out.write(`${text}\n`);
  try {
    const controls = options.keys ? '; space pauses, → skips ahead, q quits' : '';
    write(
      paint.dim(
        `${header.problem.id} in ${header.language}, ${header.brain.name} interviewer${header.brain.model ? ` (${header.brain.model})` : ''}, recorded ${header.startedAt}${controls}`,
      ),
    );
    let shownAt = header.clock.startMs;
    for (const line of recording.lines) {
      const text = renderLine(line, paint);
      if (text === null) continue;
      if (Number.isFinite(options.speed)) await pacer.wait(Math.max(0, line.clock - shownAt) / options.speed);
      if (pacer.quit) break;
      shownAt = Math.max(shownAt, line.clock);
      write(`${paint.dim(`[${clockLabel(line.clock - header.clock.startMs)}]`)} ${text}`);
    }
    if (recording.truncated) write(paint.yellow('the recording ends mid-line: the session stopped while it was being written'));
  } finally {
    options.keys?.removeListener('data', onKey);
  }
}

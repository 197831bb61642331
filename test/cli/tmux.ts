import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';

/**
 * Test equipment: terminals of a chosen size on a private tmux server, for driving the real binary
 * with keys and reading back what it drew. One server a test file; it stays up until `close`, since
 * a server that is shutting down refuses new sessions.
 */
export class TmuxTerminals {
  private readonly socket = `vetta-test-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;

  constructor(private readonly tmux: string) {}

  run(args: string[]): string {
    return execFileSync(this.tmux, ['-L', this.socket, ...args], { encoding: 'utf8' });
  }

  /** Opens a terminal named `name` running `command` in a shell. */
  open(name: string, columns: number, rows: number, command: string): void {
    this.run(['new-session', '-d', '-s', name, '-x', String(columns), '-y', String(rows), command]);
  }

  screen(name: string): string {
    return this.run(['capture-pane', '-p', '-t', name]);
  }

  keys(name: string, ...keys: string[]): void {
    this.run(['send-keys', '-t', name, ...keys]);
  }

  /** Waits until the screen, as running text, matches `pattern`; returns that text. */
  async waitFor(name: string, pattern: RegExp, what: string, timeoutMs = 30_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    let last = '';
    while (Date.now() < deadline) {
      last = runningText(this.screen(name));
      if (pattern.test(last)) return last;
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.fail(`timed out waiting for ${what}; the screen shows:\n${last}`);
  }

  close(): void {
    try {
      this.run(['kill-server']);
    } catch {
      // Already gone.
    }
  }
}

/** The screen as running text: pane borders gone and wrapped lines joined, so phrases match. */
const runningText = (shown: string) => shown.replace(/[│╭╮╰╯─]/g, ' ').replace(/\s+/g, ' ');

import { appendFileSync } from 'node:fs';

/**
 * Moments a benchmark wants to time from outside (the first frame drawn, the first interviewer
 * sample written): appended as JSON lines, `{"mark": ..., "at": <ms since the epoch>}`, to the
 * file named by VETTA_MARKS. Without it, nothing is written. A mark that cannot be written is
 * dropped: timing never breaks an interview.
 */
export function mark(env: NodeJS.ProcessEnv, name: string): void {
  const file = env.VETTA_MARKS;
  if (!file) return;
  try {
    appendFileSync(file, `${JSON.stringify({ mark: name, at: Date.now() })}\n`);
  } catch {
    // Only a benchmark reads these.
  }
}

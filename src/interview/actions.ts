import { VettaError } from '../core/errors.js';

/** One candidate action: a line of a script, a typed command, or a key in the terminal UI. */
export type Action =
  | { kind: 'say'; text: string }
  | { kind: 'edit'; file?: string }
  | { kind: 'run' }
  | { kind: 'submit' }
  | { kind: 'hint' }
  | { kind: 'wait'; seconds: number }
  | { kind: 'quit' };

/** Parses a line; null for blank lines and comments. Commands start with "/", anything else is said. */
export function parseAction(line: string, where: string): Action | null {
  const text = line.trim();
  if (text === '' || text.startsWith('#')) return null;
  if (!text.startsWith('/')) return { kind: 'say', text };
  const [command, ...rest] = text.slice(1).split(/\s+/);
  const arg = rest.join(' ');
  switch (command) {
    case 'edit':
      return arg ? { kind: 'edit', file: arg } : { kind: 'edit' };
    case 'run':
    case 'submit':
    case 'hint':
    case 'quit':
      return { kind: command };
    case 'wait': {
      const seconds = Number(arg);
      if (!Number.isFinite(seconds) || seconds < 0) throw new VettaError('usage', `${where}: /wait takes a number of seconds, not "${arg}"`);
      return { kind: 'wait', seconds };
    }
    default:
      throw new VettaError('usage', `${where}: unknown command "/${command}" (expected /edit, /run, /submit, /hint, /wait or /quit)`);
  }
}

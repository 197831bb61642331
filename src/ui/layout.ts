import type { TurnTimings } from '../interview/state.js';
import type { TranscriptEntry } from '../interview/transcript.js';
import { renderWaterfall } from './waterfall.js';

/** One screen line of a pane, with the tone it is drawn in. */
export interface Line {
  text: string;
  tone: 'interviewer' | 'candidate' | 'pass' | 'fail' | 'dim' | 'notice' | 'heading' | 'code' | 'plain';
}

/** Splits text into lines of at most `width` columns, at spaces where it can. Never loses a character. */
export function wrap(text: string, width: number): string[] {
  const out: string[] = [];
  for (const paragraph of text.split('\n')) {
    let line = '';
    for (const word of paragraph.split(' ')) {
      let rest = word;
      // A word longer than the line is cut, not dropped.
      while (rest.length > width) {
        if (line) {
          out.push(line);
          line = '';
        }
        out.push(rest.slice(0, width));
        rest = rest.slice(width);
      }
      if (!line) line = rest;
      else if (line.length + 1 + rest.length <= width) line = `${line} ${rest}`;
      else {
        out.push(line);
        line = rest;
      }
    }
    out.push(line);
  }
  return out;
}

function prefixed(prefix: string, text: string, width: number, tone: Line['tone'], rest: Line['tone'] = tone): Line[] {
  const pad = ' '.repeat(prefix.length);
  return wrap(text, Math.max(10, width - prefix.length)).map((l, i) => ({ text: `${i === 0 ? prefix : pad}${l}`, tone: i === 0 ? tone : rest }));
}

/** The conversation as screen lines for a pane `width` columns wide, oldest first. */
export function conversationLines(entries: readonly TranscriptEntry[], width: number): Line[] {
  const lines: Line[] = [];
  for (const entry of entries) {
    switch (entry.kind) {
      case 'interviewer':
        lines.push(...prefixed('interviewer: ', entry.streaming ? `${entry.text.trimEnd()} ▍` : entry.text, width, 'interviewer', 'plain'));
        break;
      case 'candidate':
        lines.push(...prefixed('you: ', entry.text, width, 'candidate', 'plain'));
        break;
      case 'run':
        lines.push(
          ...prefixed(
            `[${entry.label}] `,
            `${entry.verdict.replace(/_/g, ' ')}: ${entry.summary}`,
            width,
            entry.verdict === 'accepted' ? 'pass' : 'fail',
            'dim',
          ),
        );
        break;
      case 'hint':
        lines.push({ text: `[hint: ${entry.level}]`, tone: 'dim' });
        break;
      case 'notice':
        lines.push(...prefixed('note: ', entry.text, width, 'notice'));
        break;
    }
  }
  return lines;
}

/** Markdown statement lines: headings and code set apart, markers removed, paragraphs re-wrapped to the width. */
export function statementLines(markdown: string, width: number): Line[] {
  const lines: Line[] = [];
  let inCode = false;
  let paragraph: string[] = [];
  // Source lines of one paragraph (or one list item) are joined before wrapping.
  let item: { prefix: string } | null = null;
  const flush = () => {
    const text = paragraph.join(' ');
    if (item) lines.push(...prefixed(item.prefix, text, width, 'plain'));
    else if (text) lines.push(...wrap(text, width).map((t) => ({ text: t, tone: 'plain' as const })));
    paragraph = [];
    item = null;
  };
  for (const raw of markdown.split('\n')) {
    if (/^```/.test(raw)) {
      flush();
      inCode = !inCode;
      continue;
    }
    if (inCode) {
      lines.push(...wrap(`  ${raw}`, width).map((text) => ({ text, tone: 'code' as const })));
      continue;
    }
    const heading = /^#{1,6}\s+(.*)$/.exec(raw);
    if (heading) {
      flush();
      lines.push({ text: heading[1]!, tone: 'heading' });
      continue;
    }
    if (raw.trim() === '') {
      flush();
      lines.push({ text: '', tone: 'plain' });
      continue;
    }
    const text = raw.replace(/\*\*([^*]+)\*\*/g, '$1').replace(/`([^`]+)`/g, '$1');
    const bullet = /^(\s*)([-*+]|\d+\.)\s+(.*)$/.exec(text);
    if (bullet) {
      flush();
      item = { prefix: `${bullet[1]}${/\d/.test(bullet[2]!) ? bullet[2] : '•'} ` };
      paragraph.push(bullet[3]!);
    } else paragraph.push(text.trim());
  }
  flush();
  return lines;
}

/** What a pane shows of its lines, and a word on what it does not ("12 lines above: PgUp"). */
export interface PaneWindow<T> {
  lines: T[];
  more: string | null;
}

/** The `height` lines to show, `scroll` lines up from the newest one; scroll is clamped. */
export function visibleWindow<T>(lines: readonly T[], height: number, scroll: number): PaneWindow<T> {
  const clamped = Math.min(Math.max(0, scroll), Math.max(0, lines.length - height));
  const end = lines.length - clamped;
  const start = Math.max(0, end - height);
  const more = [start > 0 ? `${start} lines above: PgUp` : '', clamped > 0 ? `${clamped} below: PgDn` : ''].filter(Boolean).join(', ');
  return { lines: lines.slice(start, end), more: more || null };
}

/** The `height` lines to show, `scroll` lines down from the first one; scroll is clamped. */
export function topWindow<T>(lines: readonly T[], height: number, scroll: number): PaneWindow<T> {
  const start = Math.min(Math.max(0, scroll), Math.max(0, lines.length - height));
  const below = Math.max(0, lines.length - start - height);
  const more = [start > 0 ? `${start} lines above: PgUp` : '', below > 0 ? `${below} below: PgDn` : ''].filter(Boolean).join(', ');
  return { lines: lines.slice(start, start + height), more: more || null };
}

/** "03:07" */
export function clock(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const m = Math.floor(total / 60);
  const s = total % 60;
  return `${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}`;
}

/** The spoken turns' timings, newest first: a waterfall each, then barge-ins. */
export function latencyLines(timings: readonly TurnTimings[], width: number): Line[] {
  if (timings.length === 0) return [{ text: 'No spoken turns yet: the timings appear once you talk to the interviewer by voice.', tone: 'dim' }];
  const lines: Line[] = [];
  const barWidth = Math.max(10, width - 36);
  for (const [i, t] of [...timings.entries()].reverse()) {
    if (t.marks) {
      const [title, ...stages] = renderWaterfall(`turn ${i + 1}`, t.marks, barWidth).split('\n');
      lines.push({ text: title!, tone: 'heading' }, ...stages.map((text) => ({ text, tone: 'plain' as const })));
    }
    if (t.duckMs !== undefined || t.silenceMs !== undefined) {
      lines.push({
        text: `  barge-in: ducked after ${t.duckMs === undefined ? '-' : Math.round(t.duckMs)} ms, silent after ${t.silenceMs === undefined ? '-' : Math.round(t.silenceMs)} ms`,
        tone: 'plain',
      });
    }
    lines.push({ text: '', tone: 'plain' });
  }
  return lines;
}

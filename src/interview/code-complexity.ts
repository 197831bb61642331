import type { Language } from '../problems/load.js';
import { COSTS } from './complexity.js';
import type { Cost } from './complexity.js';

/**
 * The time a candidate's code takes, as an interviewer reads it at a glance: how deeply loops nest
 * (a loop that halves its range counts as a log factor), whether it sorts, whether a function calls
 * itself more than once without a cache. Rough on purpose: it only decides whether a claim such as
 * "O(n^2)" about single-pass code deserves a question. Null when the code gives nothing to go on.
 */
export function estimateCodeTime(code: string, language: Language): Cost | null {
  const lines = stripNoise(code, language).split('\n');
  const loops = language === 'python' ? pythonLoopDepth(lines) : braceLoopDepth(lines.join('\n'));
  const sorts = /\bsorted\s*\(|\.sort\s*\(|\bheapq\.|\bheappush\b|\bheappop\b|\bbisect\b/.test(lines.join('\n'));
  if (selfCallsWithoutCache(lines.join('\n'), language)) return COSTS.exponential;
  let rank = loops.depth + (loops.halving ? 0.5 : 0);
  if (sorts) rank = Math.max(rank, 1.5);
  if (rank === 0 && lines.join('').trim() === '') return null;
  const byRank = Object.values(COSTS).find((c) => c.rank === rank);
  return byRank ?? (rank > 3 ? { label: `O(n^${Math.floor(rank)})`, rank } : COSTS.linear);
}

function stripNoise(code: string, language: Language): string {
  const strings = /'(?:\\.|[^'\\\n])*'|"(?:\\.|[^"\\\n])*"|`(?:\\.|[^`\\])*`/g;
  const comments = language === 'python' ? /#.*$/gm : /\/\/.*$|\/\*[\s\S]*?\*\//gm;
  return code.replace(comments, '').replace(strings, '""');
}

const HALVING = /\bmid\b|\/\/\s*2|>>\s*1|\/\s*2\b|\*=\s*2|\/\/=\s*2|\bhi\s*=|\bhigh\s*=|\bright\s*=\s*mid/;

/** Python: nesting by indentation; a comprehension's extra `for`s nest inside its line. */
function pythonLoopDepth(lines: string[]): { depth: number; halving: boolean } {
  const stack: { indent: number; halving: boolean }[] = [];
  let depth = 0;
  let halving = false;
  lines.forEach((line, i) => {
    if (!line.trim()) return;
    const indent = line.length - line.trimStart().length;
    while (stack.length && stack.at(-1)!.indent >= indent) stack.pop();
    const isLoop = /^\s*(for|while)\b/.test(line);
    const comprehensionFors = (line.replace(/^\s*for\b/, '').match(/\bfor\b/g) ?? []).length;
    const body = bodyOf(lines, i, indent);
    const halves = /^\s*while\b/.test(line) && HALVING.test(body);
    const linearLevels = stack.filter((s) => !s.halving).length;
    const here = linearLevels + (isLoop && !halves ? 1 : 0) + comprehensionFors;
    if (here > depth) [depth, halving] = [here, stack.some((s) => s.halving) || halves];
    else if (here === depth && (halves || stack.some((s) => s.halving))) halving = true;
    if (isLoop) stack.push({ indent, halving: halves });
  });
  return { depth, halving };
}

function bodyOf(lines: string[], start: number, indent: number): string {
  const body: string[] = [];
  for (const line of lines.slice(start + 1)) {
    if (line.trim() && line.length - line.trimStart().length <= indent) break;
    body.push(line);
  }
  return body.join('\n');
}

/** JavaScript and TypeScript: nesting by braces; array callbacks (forEach, map, ...) are loops too. */
function braceLoopDepth(code: string): { depth: number; halving: boolean } {
  const loopHead = /\b(for|while)\s*\(|\.(forEach|map|filter|reduce|some|every|flatMap|find|findIndex|includes|indexOf)\s*\(/g;
  const opens: { at: number; loop: boolean; halving: boolean }[] = [];
  let depth = 0;
  let halving = false;
  let pendingLoop: { halving: boolean } | null = null;
  let linearInline = 0;
  for (let i = 0; i < code.length; i++) {
    loopHead.lastIndex = i;
    const m = loopHead.exec(code);
    if (m && m.index === i) {
      const enclosingCallback: { halving: boolean } | null = pendingLoop;
      const isWhile = m[1] === 'while';
      const close = code.indexOf('{', i);
      const head = code.slice(i, close < 0 ? undefined : close + 200);
      pendingLoop = { halving: isWhile && HALVING.test(head) };
      // includes/indexOf inside a loop are a hidden inner loop with no block of their own.
      if (/^\.(includes|indexOf|find|findIndex)/.test(m[0])) {
        // Inside an array callback that has no block of its own yet (`a.filter((x) => a.includes(x))`).
        const here = opens.filter((o) => o.loop && !o.halving).length + 1 + (enclosingCallback ? 1 : 0);
        linearInline = Math.max(linearInline, here);
        pendingLoop = enclosingCallback;
      }
    }
    const c = code[i];
    if (c === '{') {
      opens.push({ at: i, loop: pendingLoop !== null, halving: pendingLoop?.halving ?? false });
      pendingLoop = null;
      const linear = opens.filter((o) => o.loop && !o.halving).length;
      if (linear > depth) [depth, halving] = [linear, opens.some((o) => o.loop && o.halving)];
      else if (linear === depth && opens.some((o) => o.loop && o.halving)) halving = true;
    } else if (c === '}') opens.pop();
  }
  return { depth: Math.max(depth, linearInline), halving };
}

/** A function that calls itself twice or more, with no cache in sight: the exponential recursion. */
function selfCallsWithoutCache(code: string, language: Language): boolean {
  if (/\b(lru_cache|cache|memo|dp)\b/.test(code)) return false;
  const names =
    language === 'python'
      ? [...code.matchAll(/\bdef\s+(\w+)/g)].map((m) => m[1]!)
      : [...code.matchAll(/\bfunction\s+(\w+)|\b(?:const|let)\s+(\w+)\s*=\s*(?:\([^)]*\)|\w+)\s*=>/g)].map((m) => (m[1] ?? m[2])!);
  return names.some((name) => {
    const calls = code.match(new RegExp(`\\b${name}\\s*\\(`, 'g'))?.length ?? 0;
    // The definition itself is one match; two calls in its body branch.
    return (
      calls - 1 >= 2 &&
      new RegExp(`\\b${name}\\s*\\([^\\n]*\\b${name}\\s*\\(|return[^\\n]*\\b${name}\\s*\\([^\\n]*\\b${name}\\s*\\(`).test(
        code.replace(/\bdef\s+\w+|\bfunction\s+\w+/g, ''),
      )
    );
  });
}

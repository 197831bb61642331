import { formatBound } from './constraints.js';
import type { ProblemFacts } from './constraints.js';

/**
 * What an imported problem's Python reference solution shows about the intended approach: the
 * structures it keeps, the shape of its loops, its estimated complexity. The importer turns it into
 * the hint ladder and the `complexity` an interviewer checks claims against; both are estimates
 * from the text, written into problem.md for an author to correct.
 */
export interface ReferenceShape {
  /** The costliest chain of nested loops, each loop counted as `n` or, when it halves, `log`. */
  loops: { n: number; log: number };
  sorts: boolean;
  heap: boolean;
  binarySearch: boolean;
  /** A memoised recursive function and how many arguments its state has. */
  memo: { params: number } | null;
  recursion: boolean;
  /** A recursive function that calls itself inside a loop: a search over choices. */
  backtracking: boolean;
  /** Dimensions of a table filled in (`f = [[0] * n for _ in ...]`): 0, 1 or 2. */
  table: number;
  hashMap: boolean;
  set: boolean;
  stack: boolean;
  queue: boolean;
  unionFind: boolean;
  trie: boolean;
  prefixSum: boolean;
  twoPointers: boolean;
  bits: boolean;
}

export interface Complexity {
  time: string;
  space: string;
}

const LOOP = /^(?:async\s+)?(for|while)\b/;
/** Calls that walk a whole collection; `max(a, b)` does not, `max(nums)` does. */
const SCANS = /\b(?:sum|Counter|set|list|any|all|sorted|reversed)\s*\(\s*\w|\b(?:max|min)\s*\(\s*[\w.]+\s*\)|\.(?:join|count|index|split)\s*\(/;

function indentOf(line: string): number {
  return line.length - line.trimStart().length;
}

/** A while loop that halves a range or a number runs log n times. */
function halves(body: string[]): boolean {
  return body.some((l) => /\bmid\b\s*=|>>=\s*1|\/\/=\s*2|>>\s*1\b|\/\/\s*2\b/.test(l));
}

function loopShape(lines: string[]): { n: number; log: number } {
  let best = { n: 0, log: 0 };
  const stack: { indent: number; log: boolean }[] = [];
  lines.forEach((line, i) => {
    const text = line.trim();
    if (!text || text.startsWith('#')) return;
    const indent = indentOf(line);
    while (stack.length > 0 && stack.at(-1)!.indent >= indent) stack.pop();
    const m = LOOP.exec(text);
    // A comprehension, or a built-in that scans (sum, Counter, join...), is one more loop inside the enclosing ones.
    const comprehensions = (text.match(/\bfor\b/g) ?? []).length - (m?.[1] === 'for' ? 1 : 0);
    const inline = Math.max(comprehensions, !m && SCANS.test(text) ? 1 : 0);
    if (m) {
      const end = lines.findIndex((l, k) => k > i && l.trim() && indentOf(l) <= indent);
      const body = lines.slice(i + 1, end < 0 ? undefined : end);
      stack.push({ indent, log: m[1] === 'while' && halves(body) });
    }
    const n = stack.filter((s) => !s.log).length + Math.max(0, inline);
    const log = stack.filter((s) => s.log).length;
    if (n > best.n || (n === best.n && log > best.log)) best = { n, log };
  });
  return best;
}

export function analyseReference(source: string): ReferenceShape {
  const lines = source.replace(/\t/g, '    ').split('\n');
  const code = lines.filter((l) => !l.trim().startsWith('#')).join('\n');
  const defs = [...code.matchAll(/^(\s*)def\s+(\w+)\s*\(([^)]*)\)/gm)].map((m) => ({
    name: m[2]!,
    params: m[3]!
      .split(',')
      .map((p) => p.trim())
      .filter((p) => p && p !== 'self'),
  }));
  const recursive = defs.filter(
    (d) => new RegExp(`(?<!def\\s)\\b${d.name}\\s*\\(`).test(code.replace(new RegExp(`def\\s+${d.name}`), '')) && d.name !== '__init__',
  );
  const memoised = recursive.find((d) => new RegExp(`@(?:functools\\.)?(?:cache|lru_cache)[^\\n]*\\n\\s*def\\s+${d.name}\\b`).test(code));
  const backtracking = recursive.some((d) => {
    const start = lines.findIndex((l) => new RegExp(`def\\s+${d.name}\\b`).test(l));
    const indent = indentOf(lines[start]!);
    const end = lines.findIndex((l, k) => k > start && l.trim() && indentOf(l) <= indent);
    const body = lines.slice(start + 1, end < 0 ? undefined : end);
    return body.some((l, k) => LOOP.test(l.trim()) && body.slice(k + 1).some((b) => indentOf(b) > indentOf(l) && new RegExp(`\\b${d.name}\\s*\\(`).test(b)));
  });
  return {
    loops: loopShape(lines),
    sorts: /\bsorted\s*\(|\.sort\s*\(/.test(code),
    heap: /\bheap(?:push|pop|ify|replace|pushpop)\b|\bheapq\b|\bSortedList\b/.test(code),
    binarySearch: /\bbisect(?:_left|_right)?\s*\(/.test(code) || /while\s+\w+\s*<=?\s*\w+\s*:[\s\S]*?\bmid\b/.test(code),
    memo: memoised && !backtracking ? { params: Math.min(memoised.params.length, 3) } : null,
    recursion: recursive.length > 0,
    backtracking: backtracking && !memoised,
    table: /=\s*\[\s*\[[^\]]*\]\s*\*[^\]]*for\b|=\s*\[\[[^\]]*\]\s*\*/.test(code) ? 2 : /\b(?:dp|f|g|memo)\s*=\s*\[[^\]]*\]\s*\*/.test(code) ? 1 : 0,
    hashMap: /=\s*\{\s*\}|\bdict\(|\bdefaultdict\(|\bCounter\(/.test(code),
    set: /\bset\(\s*\)|=\s*set\(|\{\s*\w+\s+for\b/.test(code),
    stack: /\b(?:stk|stack|st)\s*=\s*\[\s*\]/.test(code) && /\.pop\(\s*\)/.test(code),
    queue: /\bdeque\(/.test(code),
    unionFind: /def\s+find\s*\(/.test(code),
    trie: /class\s+Trie\b|\bchildren\s*=\s*\[None\]\s*\*\s*26|\bchildren\s*=\s*\{\s*\}/.test(code),
    prefixSum: /\baccumulate\(/.test(code) || /\b(?:s|pre|prefix)\s*\[\s*i\s*\+\s*1\s*\]\s*=\s*\w+\s*\[\s*i\s*\]\s*\+/.test(code),
    twoPointers: /\b(\w+)\s*,\s*(\w+)\s*=\s*0\s*,\s*len\(/.test(code) && /while\s+\w+\s*<\s*\w+/.test(code),
    bits: /<<|>>|\s\^\s|\s&\s|\bbit_count\(/.test(code),
  };
}

function power(n: number, log: number): string {
  const parts: string[] = [];
  if (n === 1) parts.push('n');
  else if (n > 1) parts.push(`n^${n}`);
  if (log === 1) parts.push('log n');
  else if (log > 1) parts.push(`log^${log} n`);
  return parts.length === 0 ? 'O(1)' : `O(${parts.join(' ')})`;
}

/** Orders terms so the larger one can be kept: n^a log^b. */
function rank(t: { n: number; log: number }): number {
  return t.n * 10 + t.log;
}

export function estimateComplexity(shape: ReferenceShape): Complexity {
  if (shape.backtracking) return { time: 'O(2^n)', space: 'O(n)' };
  let time = shape.loops;
  const consider = (t: { n: number; log: number }) => {
    if (rank(t) > rank(time)) time = t;
  };
  if (shape.sorts) consider({ n: 1, log: 1 });
  // A heap or binary search inside the loops costs a log factor on each pass.
  if ((shape.heap || shape.binarySearch) && time.n > 0 && time.log === 0) time = { n: time.n, log: 1 };
  if (shape.binarySearch && time.n === 0) consider({ n: 0, log: 1 });
  if (shape.memo) consider({ n: Math.max(shape.memo.params, 1), log: 0 });
  if (shape.recursion && time.n === 0) consider({ n: 1, log: 0 });
  const spaceN = Math.max(
    shape.table,
    shape.memo?.params ?? 0,
    shape.hashMap || shape.set || shape.heap || shape.stack || shape.queue || shape.recursion || shape.prefixSum || shape.unionFind || shape.trie ? 1 : 0,
  );
  return { time: power(time.n, time.log), space: power(spaceN, 0) };
}

/** Topic tags the reference's structure suggests, for datasets whose records carry none. */
export function inferTags(shape: ReferenceShape, paramTypes: string[]): string[] {
  const tags: string[] = [];
  if (shape.memo || shape.table > 0) tags.push('dynamic-programming');
  if (shape.backtracking) tags.push('backtracking');
  if (shape.binarySearch) tags.push('binary-search');
  if (shape.heap) tags.push('heap-priority-queue');
  if (shape.queue) tags.push('breadth-first-search');
  if (shape.unionFind) tags.push('union-find');
  if (shape.trie) tags.push('trie');
  if (shape.stack) tags.push('stack');
  if (shape.twoPointers) tags.push('two-pointers');
  if (shape.prefixSum) tags.push('prefix-sum');
  if (shape.sorts) tags.push('sorting');
  if (shape.hashMap || shape.set) tags.push('hash-table');
  if (shape.bits) tags.push('bit-manipulation');
  if (paramTypes.some((t) => t.startsWith('TreeNode'))) tags.push('binary-tree', ...(shape.recursion ? ['depth-first-search'] : []));
  if (paramTypes.some((t) => t.startsWith('ListNode'))) tags.push('linked-list');
  if (paramTypes.some((t) => /\[\]\[\]$/.test(t))) tags.push('matrix');
  else if (paramTypes.some((t) => t.endsWith('[]'))) tags.push('array');
  if (paramTypes.some((t) => t === 'string')) tags.push('string');
  if (tags.length === 0) tags.push(paramTypes.every((t) => t === 'int' || t === 'float') ? 'math' : 'imported');
  return tags;
}

/** One nudge for each of LeetCode's commonest topic tags: a question, not the answer. */
export const TAG_NUDGES: Record<string, string> = {
  array: 'Think about what one pass over the array could keep track of.',
  string: 'What do you need to know about each character as you scan the string?',
  'hash-table': 'What would you want to look up in constant time as you go?',
  'dynamic-programming': 'Can the answer for the whole input be built from the answers for smaller prefixes or subproblems?',
  math: 'Look for a formula or a property of the numbers before simulating anything.',
  sorting: 'Would the problem get easier if the input were sorted?',
  greedy: 'Is there a choice you can always make locally that never hurts the final answer?',
  'depth-first-search': 'Explore as deep as possible from each starting point: what should each call return to its caller?',
  'breadth-first-search': 'Think level by level: what does exploring in order of distance give you?',
  'binary-search': 'Is there something monotonic here you could binary search on, perhaps the answer itself?',
  tree: 'What would each subtree need to report to its parent?',
  'binary-tree': 'Solve it for the left and right subtrees first: how do you combine their answers at a node?',
  matrix: 'Treat each cell as a node: which neighbours does it depend on?',
  'two-pointers': 'Could two indices, moving toward each other or one chasing the other, replace a nested loop?',
  'bit-manipulation': 'Think about the numbers bit by bit: what do XOR, AND and shifts tell you?',
  'heap-priority-queue': 'You keep needing the smallest or largest of a changing set: which structure gives you that cheaply?',
  stack: 'Does the most recent unresolved item matter most? That is what a stack keeps.',
  'prefix-sum': 'Could running totals computed once turn each range question into a subtraction?',
  graph: 'Model it as a graph: what are the nodes, and what are the edges?',
  'sliding-window': 'Think of a window over the input that grows on one side and shrinks on the other.',
  backtracking: 'Build a candidate one choice at a time, and undo the last choice when it cannot work.',
  simulation: 'Sometimes simulating directly is fast enough: check the bounds before optimising.',
  counting: 'Would counting occurrences first make the rest straightforward?',
  'linked-list': 'Draw the pointers before and after one step: which ones change, and in what order?',
  'union-find': 'Which items end up in the same group? Merging groups as you go may be enough.',
  'monotonic-stack': 'For each element, which earlier elements can never matter again?',
  trie: 'Many lookups share prefixes: a tree of characters would share that work.',
  recursion: 'What is the smallest version of this problem, and how does a bigger one reduce to it?',
};

/** The time an input of this size allows, when the reference gives no estimate. */
function budgetFor(size: number): string {
  if (size <= 20) return 'O(2^n)';
  if (size <= 500) return 'O(n^3)';
  if (size <= 5000) return 'O(n^2)';
  if (size <= 1_000_000) return 'O(n log n)';
  return 'O(log n)';
}

function structures(shape: ReferenceShape): string[] {
  const kept: string[] = [];
  if (shape.memo) kept.push(`a memo of the recursion's results, keyed by its ${shape.memo.params === 1 ? 'one argument' : `${shape.memo.params} arguments`}`);
  else if (shape.table === 2) kept.push('a two-dimensional table of answers to subproblems');
  else if (shape.table === 1) kept.push('a table of answers for each prefix');
  if (shape.heap) kept.push('a heap (priority queue)');
  if (shape.queue) kept.push('a queue, visiting in order of distance');
  if (shape.stack) kept.push('a stack of items still waiting for their answer');
  if (shape.unionFind) kept.push('a union-find of groups');
  if (shape.trie) kept.push('a trie of the words');
  if (shape.prefixSum) kept.push('prefix sums');
  if (shape.hashMap) kept.push('a hash map');
  else if (shape.set) kept.push('a hash set');
  return kept;
}

function loopWords(shape: ReferenceShape): string {
  if (shape.backtracking) return 'a recursive search that tries each choice and undoes it';
  if (shape.binarySearch && shape.loops.n <= 1) return shape.loops.n === 1 ? 'a binary search inside one pass' : 'a binary search';
  if (shape.twoPointers) return 'two pointers moving toward each other';
  if (shape.loops.n === 0) return shape.recursion ? 'a recursion over the structure' : 'a direct computation with no loop over the input';
  if (shape.loops.n === 1) return 'a single pass over the input';
  if (shape.loops.n === 2) return 'two nested loops';
  return `${shape.loops.n} nested loops`;
}

function joinList(items: string[]): string {
  if (items.length <= 1) return items[0] ?? '';
  return `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

/** Roughly how many steps `time` ("O(n^2 log n)") takes at n = size. */
function stepsAt(time: string, size: number): number {
  if (time === 'O(2^n)') return 2 ** Math.min(size, 1000);
  const m = /^O\((?:n(?:\^(\d+))?)?\s*(?:log(?:\^(\d+))? n)?\)$/.exec(time);
  if (!m) return 1;
  const n = time.startsWith('O(n') ? Number(m[1] ?? 1) : 0;
  const log = time.includes('log') ? Number(m[2] ?? 1) : 0;
  return size ** n * Math.log2(Math.max(size, 2)) ** log;
}

/** Steps no accepted reference takes: an estimate above this at the stated size overcounted. */
const MAX_PLAUSIBLE_STEPS = 1e9;

/**
 * Whether the estimate is believable given the Constraints: a reference cannot be O(n^3) when n is
 * up to 10^5 (the loops were over something smaller), and then the estimate is not stored.
 */
export function plausible(complexity: Complexity, facts: ProblemFacts): boolean {
  return facts.maxInputSize === null || stepsAt(complexity.time, facts.maxInputSize) <= MAX_PLAUSIBLE_STEPS;
}

export interface DerivedHints {
  nudge: string[];
  hint: string[];
  reveal: string[];
}

/** The ladder an imported problem gets: a nudge from its tags and bounds, a hint from the
 *  reference's structure, a reveal in words with its complexity. */
/** The nudge of a problem's most telling tag: a technique says more than the kind of input ("dynamic-programming" before "array"). */
export function techniqueNudge(tags: readonly string[]): string | undefined {
  const generic = new Set(['array', 'string', 'math', 'matrix', 'simulation']);
  return [...tags.filter((t) => !generic.has(t)), ...tags.filter((t) => generic.has(t))].map((t) => TAG_NUDGES[t]).find(Boolean);
}

export function deriveHints(shape: ReferenceShape, complexity: Complexity, tags: string[], facts: ProblemFacts): DerivedHints {
  const nudge: string[] = [];
  const largest = facts.bounds.filter((b) => b.size && b.max !== undefined).sort((a, b) => b.max! - a.max!)[0];
  if (largest) {
    const target = complexity.time !== 'O(1)' && plausible(complexity, facts) ? complexity.time : budgetFor(largest.max!);
    nudge.push(`${largest.subject} is up to ${formatBound(largest.max!)}: what would an ${target} approach look like?`);
  }
  const tagNudge = techniqueNudge(tags);
  if (tagNudge) nudge.push(tagNudge);
  const kept = structures(shape);
  const sorting = shape.sorts ? 'Sort first, then use ' : 'Try ';
  const hint = [`${sorting}${loopWords(shape)}${kept.length ? `, keeping ${joinList(kept)}` : ''}.`];
  const cost = plausible(complexity, facts) ? `: ${complexity.time} time and ${complexity.space} space` : '';
  const reveal = [
    `The reference solution ${shape.sorts ? 'sorts, then uses' : 'uses'} ${loopWords(shape)}${kept.length ? ` with ${joinList(kept)}` : ''}${cost}.`,
  ];
  return { nudge, hint, reveal };
}

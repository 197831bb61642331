import { createReadStream, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { stringify } from 'yaml';
import { VettaError } from '../core/errors.js';
import { parseConstraints } from './constraints.js';
import type { PythonEvaluator } from './evaluate.js';
import { parsePyArgs, parsePyValue, PyLiteralError } from './pyliteral.js';
import { analyseReference, deriveHints, estimateComplexity, inferTags, plausible } from './reference.js';
import type { FunctionSpec } from './schema.js';
import { javascriptStarter, typescriptStarter } from './starter.js';
import { importStatement } from './statement.js';
import { typeMismatch } from './types.js';

/**
 * Converts a LeetCode-style dataset (one JSON object a line: task_id, difficulty, tags,
 * problem_description, starter_code, entry_point, input_output, completion; or the older shape
 * with difficulty, description and starter under `meta`) into problem folders. What cannot be
 * converted is skipped with a reason, never half-written; broken tests are dropped with theirs.
 */

export interface ImportRecord {
  task_id?: unknown;
  difficulty?: unknown;
  tags?: unknown;
  problem_description?: unknown;
  starter_code?: unknown;
  entry_point?: unknown;
  input_output?: unknown;
  completion?: unknown;
  /** The older shape (v0.1, v0.2) keeps difficulty, description and starter here. */
  meta?: unknown;
}

export interface ImportOutcome {
  line: number;
  id: string | null;
  ok: boolean;
  reason?: string;
  /** Tests of an imported record that were left out, and why. */
  dropped?: Dropped[];
}

class Skip extends Error {}

const PY_TYPES: Record<string, string> = { int: 'int', float: 'float', bool: 'bool', str: 'string' };

/** A Python annotation as a problem-format type: List[List[int]] -> int[][]. */
export function typeFromPython(annotation: string): string {
  const t = annotation.trim().replace(/^['"](.*)['"]$/, '$1');
  const list = /^(?:List|list)\[(.*)\]$/.exec(t);
  if (list) return `${typeFromPython(list[1]!)}[]`;
  const optional = /^Optional\[(.*)\]$/.exec(t);
  if (optional) return typeFromPython(optional[1]!);
  if (t === 'ListNode' || t === 'TreeNode') return t;
  const base = PY_TYPES[t];
  if (base) return base;
  if (t === 'None') return 'void';
  throw new Skip(`unsupported type ${t}`);
}

function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of text) {
    if (ch === '[' || ch === '(') depth++;
    if (ch === ']' || ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      parts.push(current);
      current = '';
    } else current += ch;
  }
  if (current.trim()) parts.push(current);
  return parts.map((p) => p.trim()).filter(Boolean);
}

export function signatureFromStarter(starterWithComments: string): FunctionSpec {
  // LeetCode starters carry the ListNode/TreeNode definitions as comments.
  const starter = starterWithComments.replace(/^\s*#.*$/gm, '');
  const classes = [...starter.matchAll(/^class\s+(\w+)/gm)].map((m) => m[1]);
  if (classes.length !== 1 || classes[0] !== 'Solution') throw new Skip('design problem (a class other than Solution)');
  const defs = [...starter.matchAll(/def\s+(\w+)\s*\(\s*self\s*(?:,([^)]*))?\)\s*(?:->\s*([^:]+))?:/g)];
  if (defs.length !== 1) throw new Skip(`expected one method on Solution, found ${defs.length}`);
  const [, method, paramText, returnText] = defs[0]!;
  if (!returnText) throw new Skip('the method has no return annotation');
  const returns = typeFromPython(returnText);
  if (returns === 'void') throw new Skip('modifies its input in place (returns None)');
  const params = splitTopLevel(paramText ?? '').map((p) => {
    const m = /^(\w+)\s*:\s*(.+)$/.exec(p);
    if (!m) throw new Skip(`parameter without a type: ${p}`);
    return { name: m[1]!, type: typeFromPython(m[2]!) };
  });
  return { params, returns, python: `Solution.${method}`, javascript: method!, typescript: method! };
}

function slug(id: string): string {
  return id
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

function autoTags(args: Record<string, unknown>): string[] {
  const values = Object.values(args);
  const tags = new Set<string>();
  const walk = (v: unknown): void => {
    if (typeof v === 'number' && v < 0) tags.add('negative');
    if (Array.isArray(v)) v.forEach(walk);
  };
  for (const v of values) {
    if ((Array.isArray(v) || typeof v === 'string') && v.length === 0) tags.add('empty');
    if (Array.isArray(v) && v.length === 1) tags.add('single');
    if ((Array.isArray(v) || typeof v === 'string') && v.length >= 1000) tags.add('large');
    walk(v);
  }
  return [...tags];
}

/**
 * A record keeps its good tests when some are broken, if at least this many remain (or all of
 * them, for a record that has fewer): three is what LeetCode shows as examples, enough for the
 * candidate's "run" and for the reference to be checked on more than one case.
 */
export const MIN_KEPT_TESTS = 3;

/** What the dataset's generator wrote when its own reference failed on an input. */
const ERROR_OUTPUT = /^(?:Error\b|Execution timed out|Traceback \(most recent call last\)|Timeout\b|TimeoutError\b)/;

/** The fields both of the dataset's shapes carry: v0.3 at the top level, v0.1/v0.2 under `meta`. */
interface RecordFields {
  taskId: string;
  difficulty: unknown;
  tags: unknown;
  description: unknown;
  starter: unknown;
  completion: unknown;
  pairs: unknown;
}

function fieldsOf(record: ImportRecord): RecordFields {
  const meta = (typeof record.meta === 'object' && record.meta !== null ? record.meta : {}) as Record<string, unknown>;
  if (typeof record.task_id !== 'string' || record.task_id.trim() === '') throw new Skip('missing task_id');
  return {
    taskId: record.task_id,
    difficulty: record.difficulty ?? meta.difficulty,
    tags: record.tags,
    description: record.problem_description ?? meta.question_title,
    starter: record.starter_code ?? meta.lang_code,
    completion: record.completion,
    pairs: record.input_output,
  };
}

interface Dropped {
  test: number;
  reason: string;
}

/** A value in the dataset's text: a literal read here, else an expression for the sandbox. */
type Pending = { value: unknown } | { expression: string };

function readValue(text: string, parse: (t: string) => unknown, asExpression: (t: string) => string): Pending {
  try {
    return { value: parse(text) };
  } catch (e) {
    if (!(e instanceof PyLiteralError)) throw e;
    return { expression: asExpression(text) };
  }
}

/** `a = 1, b = [2]`, or the older shape's positional `1, [2]` as `$0`, `$1`. */
function readArgs(text: string): Record<string, unknown> {
  try {
    return parsePyArgs(text);
  } catch (e) {
    if (!(e instanceof PyLiteralError)) throw e;
    const values = parsePyValue(`[${text}]`) as unknown[];
    return Object.fromEntries(values.map((v, k) => [`$${k}`, v]));
  }
}

function readOutput(text: string, returns: string): Pending | { dropped: string } {
  if (ERROR_OUTPUT.test(text.trim())) return { dropped: `its expected output is error text (${text.trim().split('\n')[0]!.slice(0, 60)})` };
  // A string result written without quotes (or an empty one): the text is the value.
  if (returns === 'string' || returns === 'char') {
    const t = text.trim();
    if (!/^(['"]).*\1$/s.test(t) && !/^None$/.test(t)) return { value: text };
  }
  if (text.trim() === '') return { dropped: 'its expected output is empty' };
  return readValue(text, parsePyValue, (t) => `(${t})`);
}

/**
 * Arguments by the signature's names. Positional ones (`$0`, `$1` from the evaluator) and a full
 * set under other names (examples written before LeetCode renamed a parameter: `start` for
 * `startGene`) are matched by position.
 */
function namedArgs(given: Record<string, unknown>, names: string[]): Record<string, unknown> {
  const keys = Object.keys(given);
  if (keys.length !== names.length || names.every((n) => n in given)) return given;
  if (keys.some((k) => names.includes(k) && keys.indexOf(k) !== names.indexOf(k))) return given;
  return Object.fromEntries(names.map((n, k) => [n, given[keys[k]!]]));
}

export interface ConvertedRecord {
  id: string;
  files: Record<string, string>;
  dropped: Dropped[];
}

export async function convertRecord(record: ImportRecord, evaluate?: PythonEvaluator, signal?: AbortSignal): Promise<ConvertedRecord> {
  const str = (v: unknown, field: string): string => {
    if (typeof v !== 'string' || v.trim() === '') throw new Skip(`missing ${field}`);
    return v;
  };
  const fields = fieldsOf(record);
  const id = slug(fields.taskId);
  const difficulty = str(fields.difficulty, 'difficulty').toLowerCase();
  if (!['easy', 'medium', 'hard'].includes(difficulty)) throw new Skip(`unknown difficulty ${fields.difficulty}`);
  const starterCode = str(fields.starter, 'starter_code');
  const spec = signatureFromStarter(starterCode);
  const completion = str(fields.completion, 'completion');
  const description = str(fields.description, 'problem_description');
  const pairs = fields.pairs;
  if (!Array.isArray(pairs) || pairs.length === 0) throw new Skip('no input_output tests');
  const names = spec.params.map((p) => p.name);

  const dropped: Dropped[] = [];
  const read = pairs.map((pair: { input?: unknown; output?: unknown }, i) => {
    if (typeof pair?.input !== 'string' || typeof pair.output !== 'string') {
      dropped.push({ test: i + 1, reason: 'its input or output is missing' });
      return null;
    }
    const output = readOutput(pair.output, spec.returns);
    if ('dropped' in output) {
      dropped.push({ test: i + 1, reason: output.dropped });
      return null;
    }
    // Python sorts out what the literal reader cannot: expressions, and arguments given by position.
    return { index: i, input: readValue(pair.input, readArgs, (t) => `(lambda *a, **k: {**{'$' + str(i): v for i, v in enumerate(a)}, **k})(${t})`), output };
  });
  const pending = read.flatMap((r) => (r ? [r.input, r.output] : [])).filter((p): p is { expression: string } => 'expression' in p);
  if (pending.length > 0) {
    if (!evaluate) throw new Skip('its tests are written as Python expressions, and no sandbox was given to evaluate them');
    const values = await evaluate(
      pending.map((p) => p.expression),
      signal,
    );
    for (const [k, p] of pending.entries()) Object.assign(p, values[k]!.ok ? { value: values[k]!.value } : { failed: values[k]!.reason });
  }

  const tests: unknown[] = [];
  for (const r of read) {
    if (!r) continue;
    const where = r.index + 1;
    const failed = [r.input, r.output].map((p) => (p as { failed?: string }).failed).find(Boolean);
    if (failed) {
      dropped.push({ test: where, reason: `a value does not evaluate (${failed})` });
      continue;
    }
    const args = namedArgs((r.input as { value: unknown }).value as Record<string, unknown>, names);
    let expected = (r.output as { value: unknown }).value;
    // An empty linked list or tree is serialised as [] (see the harnesses).
    if (expected === null && (spec.returns === 'ListNode' || spec.returns === 'TreeNode')) expected = [];
    const keys = Object.keys(args ?? {});
    if (keys.length !== names.length || !names.every((n) => n in args)) {
      dropped.push({ test: where, reason: `it names arguments ${keys.join(', ')}, the signature has ${names.join(', ')}` });
      continue;
    }
    const mismatch = [
      ...spec.params.map((p) => [`${p.name}: `, typeMismatch(args[p.name], p.type)] as const),
      ['the expected output: ', typeMismatch(expected, spec.returns)] as const,
    ].find(([, m]) => m);
    if (mismatch) {
      dropped.push({ test: where, reason: `${mismatch[0]}${mismatch[1]}` });
      continue;
    }
    const visible = tests.length < 3;
    tests.push({
      name: `case ${where}`,
      args,
      expected,
      tags: visible ? ['example', ...autoTags(args)] : autoTags(args),
      ...(visible ? {} : { hidden: true }),
    });
  }
  if (tests.length < Math.min(MIN_KEPT_TESTS, pairs.length)) {
    const why = dropped.length > 0 ? `: ${dropped[0]!.reason}` : '';
    throw new Skip(`only ${tests.length} of ${pairs.length} tests are usable${why}`);
  }

  const statement = importStatement(description);
  const shape = analyseReference(completion);
  const complexity = estimateComplexity(shape);
  const given = Array.isArray(fields.tags) ? fields.tags.map((t) => slug(String(t))).filter(Boolean) : [];
  const tags =
    given.length > 0
      ? given
      : inferTags(
          shape,
          spec.params.map((p) => p.type),
        );
  const facts = parseConstraints(statement.markdown);
  const hints = deriveHints(shape, complexity, tags, facts);
  const frontMatter = {
    id,
    title: id
      .split('-')
      .map((w) => (w ? w[0]!.toUpperCase() + w.slice(1) : w))
      .join(' '),
    difficulty,
    tags,
    function: spec,
    ...(spec.returns === 'float' || spec.returns === 'float[]' ? { compare: 'float' } : {}),
    hints,
    ...(plausible(complexity, facts) ? { complexity } : {}),
  };
  const starter = starterCode.replace(/\s+$/, '');
  return {
    id,
    dropped,
    files: {
      'problem.md': `---\n${stringify(frontMatter, { lineWidth: 0 })}---\n\n${statement.markdown}`,
      'tests.json': `${JSON.stringify({ tests }, null, 1)}\n`,
      'solution.py': `${completion.trim()}\n`,
      'starter.py': `${starter}\n        pass\n`,
      'starter.js': javascriptStarter(spec),
      'starter.ts': typescriptStarter(spec),
    },
  };
}

function openLines(file: string): AsyncIterable<string> {
  if (!existsSync(file)) throw new VettaError('invalid_input', `${file} does not exist`);
  let stream: Readable = createReadStream(file);
  if (file.endsWith('.gz')) stream = stream.pipe(createGunzip());
  return createInterface({ input: stream, crlfDelay: Infinity });
}

export interface ImportOptions {
  outDir: string;
  overwrite?: boolean;
  signal?: AbortSignal;
  /** Evaluates tests written as Python expressions; without it such records are skipped. */
  evaluate?: PythonEvaluator;
  onProgress?: (outcome: ImportOutcome) => void;
}

export async function importDataset(file: string, options: ImportOptions): Promise<ImportOutcome[]> {
  const outcomes: ImportOutcome[] = [];
  let line = 0;
  try {
    for await (const text of openLines(file)) {
      options.signal?.throwIfAborted();
      line++;
      if (text.trim() === '') continue;
      let outcome: ImportOutcome;
      let record: ImportRecord;
      try {
        record = JSON.parse(text) as ImportRecord;
      } catch {
        outcome = { line, id: null, ok: false, reason: 'not valid JSON' };
        outcomes.push(outcome);
        options.onProgress?.(outcome);
        continue;
      }
      const id = typeof record.task_id === 'string' ? slug(record.task_id) : null;
      try {
        if (id && existsSync(join(options.outDir, id)) && !options.overwrite) throw new Skip(`${join(options.outDir, id)} already exists (use --overwrite)`);
        const converted = await convertRecord(record, options.evaluate, options.signal);
        const dir = join(options.outDir, converted.id);
        mkdirSync(dir, { recursive: true });
        for (const [name, content] of Object.entries(converted.files)) writeFileSync(join(dir, name), content);
        outcome = { line, id: converted.id, ok: true, ...(converted.dropped.length > 0 ? { dropped: converted.dropped } : {}) };
      } catch (e) {
        if (!(e instanceof Skip)) throw e;
        outcome = { line, id, ok: false, reason: e.message };
      }
      outcomes.push(outcome);
      options.onProgress?.(outcome);
    }
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'Z_DATA_ERROR' || (e as Error).message?.includes('incorrect header check')) {
      throw new VettaError('invalid_input', `${file} is not a valid gzip file`);
    }
    throw e;
  }
  return outcomes;
}

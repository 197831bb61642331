import { createReadStream, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { stringify } from 'yaml';
import { VettaError } from '../core/errors.js';
import { parsePyArgs, parsePyValue, PyLiteralError } from './pyliteral.js';
import type { FunctionSpec } from './schema.js';
import { javascriptStarter, typescriptStarter } from './starter.js';

/**
 * Converts a LeetCode-style dataset (one JSON object a line: task_id, difficulty, tags,
 * problem_description, starter_code, entry_point, input_output, completion) into problem folders.
 * What cannot be converted is skipped with a reason, never half-written.
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
}

export interface ImportOutcome {
  line: number;
  id: string | null;
  ok: boolean;
  reason?: string;
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

export function convertRecord(record: ImportRecord): { id: string; files: Record<string, string> } {
  const str = (v: unknown, field: string): string => {
    if (typeof v !== 'string' || v.trim() === '') throw new Skip(`missing ${field}`);
    return v;
  };
  const id = slug(str(record.task_id, 'task_id'));
  const difficulty = str(record.difficulty, 'difficulty').toLowerCase();
  if (!['easy', 'medium', 'hard'].includes(difficulty)) throw new Skip(`unknown difficulty ${record.difficulty}`);
  const spec = signatureFromStarter(str(record.starter_code, 'starter_code'));
  const completion = str(record.completion, 'completion');
  const pairs = record.input_output;
  if (!Array.isArray(pairs) || pairs.length === 0) throw new Skip('no input_output tests');
  const names = spec.params.map((p) => p.name);
  const tests = pairs.map((pair: { input?: unknown; output?: unknown }, i) => {
    let args: Record<string, unknown>;
    let expected: unknown;
    try {
      args = parsePyArgs(str(pair.input, `input_output[${i}].input`));
      expected = parsePyValue(str(pair.output, `input_output[${i}].output`));
      // An empty linked list or tree is serialised as [] (see the harnesses).
      if (expected === null && (spec.returns === 'ListNode' || spec.returns === 'TreeNode')) expected = [];
    } catch (e) {
      if (e instanceof PyLiteralError) throw new Skip(`test ${i + 1}: ${e.message}`);
      throw e;
    }
    const keys = Object.keys(args);
    if (keys.length !== names.length || !names.every((n) => n in args)) {
      throw new Skip(`test ${i + 1} names arguments ${keys.join(', ')}, the signature has ${names.join(', ')}`);
    }
    return { name: `case ${i + 1}`, args, expected, tags: i < 3 ? ['example', ...autoTags(args)] : autoTags(args), ...(i >= 3 ? { hidden: true } : {}) };
  });
  const tags = Array.isArray(record.tags) && record.tags.length > 0 ? record.tags.map((t) => slug(String(t))) : ['imported'];
  const frontMatter = {
    id,
    title: id.split('-').map((w) => (w ? w[0]!.toUpperCase() + w.slice(1) : w)).join(' '),
    difficulty,
    tags,
    function: spec,
    ...(spec.returns === 'float' || spec.returns === 'float[]' ? { compare: 'float' } : {}),
  };
  const starter = str(record.starter_code, 'starter_code').replace(/\s+$/, '');
  return {
    id,
    files: {
      'problem.md': `---\n${stringify(frontMatter)}---\n\n${str(record.problem_description, 'problem_description').trim()}\n`,
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
        const converted = convertRecord(record);
        const dir = join(options.outDir, converted.id);
        if (existsSync(dir) && !options.overwrite) throw new Skip(`${dir} already exists (use --overwrite)`);
        mkdirSync(dir, { recursive: true });
        for (const [name, content] of Object.entries(converted.files)) writeFileSync(join(dir, name), content);
        outcome = { line, id: converted.id, ok: true };
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

import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, delimiter, dirname, join, resolve } from 'node:path';
import { parseDocument } from 'yaml';
import { VettaError } from '../core/errors.js';
import { builtinProblemsDir } from '../core/paths.js';
import { closest } from '../core/text.js';
import { expandValue, GeneratorError } from './generators.js';
import type { FileStamp } from './index-cache.js';
import { ProblemIndex } from './index-cache.js';
import { DesignTest, FrontMatter, FunctionTest, issuesOf, TestsFile } from './schema.js';
import type { Comparator } from './schema.js';

export type Language = 'python' | 'javascript' | 'typescript';
export const LANGUAGES: readonly Language[] = ['python', 'javascript', 'typescript'];
export const EXTENSIONS: Record<Language, string> = { python: 'py', javascript: 'js', typescript: 'ts' };

export function languageOfFile(file: string): Language | undefined {
  const ext = file.toLowerCase().split('.').pop();
  if (ext === 'py') return 'python';
  if (ext === 'js' || ext === 'mjs' || ext === 'cjs') return 'javascript';
  if (ext === 'ts' || ext === 'mts' || ext === 'cts') return 'typescript';
  return undefined;
}

export interface ProblemTest {
  index: number;
  name: string;
  /** Function problems: positional arguments. Design problems: one argument list per op. */
  args: unknown[];
  /** Design problems only: the operations, the first being the constructor. */
  ops?: string[];
  expected: unknown;
  tags: string[];
  hidden: boolean;
  compare: Comparator;
  tolerance: number;
}

export interface Problem {
  id: string;
  dir: string;
  meta: FrontMatter;
  /** The Markdown statement below the front matter. */
  statement: string;
  /** Where the problem came from: the built-in set or a user's folder. */
  origin: 'builtin' | 'user';
}

/** A problem that failed to load, kept so `list` and `validate` can say why. */
export interface BrokenProblem {
  dir: string;
  errors: string[];
}

export class ProblemFormatError extends VettaError {
  constructor(readonly errors: string[]) {
    super('invalid_problem', errors[0] ?? 'invalid problem');
  }
}

function rel(file: string): string {
  const r = file.startsWith(`${process.cwd()}/`) ? file.slice(process.cwd().length + 1) : file;
  return r;
}

function splitFrontMatter(text: string, file: string): { yaml: string; body: string; yamlLine: number } {
  const m = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?([\s\S]*)$/.exec(text);
  if (!m) throw new ProblemFormatError([`${rel(file)}: expected YAML front matter between "---" lines at the top`]);
  return { yaml: m[1]!, body: m[2]!, yamlLine: 2 };
}

/**
 * An unclosed `[`, `{` or quote is noticed where the next line starts; the mistake is where it
 * was opened, so that is the line to report.
 */
function openingOf(yaml: string, offset: number, message: string): number {
  const close =
    /end with an? ([\]}])/.exec(message)?.[1] ?? (/Missing closing "quote/.test(message) ? '"' : /Missing closing 'quote/.test(message) ? "'" : null);
  if (!close) return offset;
  const open = close === ']' ? '[' : close === '}' ? '{' : close;
  let depth = 0;
  for (let i = Math.min(offset, yaml.length) - 1; i >= 0; i--) {
    if (yaml[i] === close && open !== close) depth++;
    else if (yaml[i] === open) {
      if (depth === 0) return i;
      depth--;
    }
  }
  return offset;
}

export function loadProblem(dir: string, origin: Problem['origin'] = 'user'): Problem {
  const file = join(dir, 'problem.md');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (cause) {
    throw new ProblemFormatError([`${rel(file)}: cannot read it (${(cause as NodeJS.ErrnoException).code ?? cause})`]);
  }
  const { yaml, body, yamlLine } = splitFrontMatter(text, file);
  const doc = parseDocument(yaml, { prettyErrors: false });
  if (doc.errors.length > 0) {
    // Without pretty errors the parser gives an offset into the YAML, which starts on yamlLine.
    const lineOf = (offset: number) => yamlLine + (yaml.slice(0, offset).match(/\n/g)?.length ?? 0);
    throw new ProblemFormatError(doc.errors.map((e) => `${rel(file)}: line ${lineOf(openingOf(yaml, e.pos[0], e.message))}: ${e.message.split('\n')[0]}`));
  }
  const data: unknown = doc.toJS();
  const parsed = FrontMatter.safeParse(data);
  if (!parsed.success) throw new ProblemFormatError(issuesOf(parsed.error, data).map((i) => `${rel(file)}: ${i}`));
  const meta = parsed.data;
  if (meta.id !== basename(dir)) {
    throw new ProblemFormatError([`${rel(file)}: id: "${meta.id}" must match the folder name "${basename(dir)}"`]);
  }
  return { id: meta.id, dir, meta, statement: body.trim(), origin };
}

/** Reads tests.json and expands generators; errors name the file and the test. */
export function loadTests(problem: Problem): ProblemTest[] {
  const file = join(problem.dir, 'tests.json');
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (cause) {
    const reason = cause instanceof SyntaxError ? cause.message : `cannot read it (${(cause as NodeJS.ErrnoException).code ?? cause})`;
    throw new ProblemFormatError([`${rel(file)}: ${reason}`]);
  }
  const top = TestsFile.safeParse(raw);
  if (!top.success) throw new ProblemFormatError(issuesOf(top.error, raw).map((i) => `${rel(file)}: ${i}`));
  const errors: string[] = [];
  const tests: ProblemTest[] = [];
  const names = new Set<string>();
  const { meta } = problem;
  top.data.tests.forEach((entry, index) => {
    const where = `${rel(file)}: tests[${index}]`;
    const schema = meta.design ? DesignTest : FunctionTest;
    const parsed = schema.safeParse(entry);
    if (!parsed.success) {
      errors.push(...issuesOf(parsed.error, entry).map((i) => `${where}.${i}`));
      return;
    }
    const t = parsed.data;
    if (names.has(t.name)) errors.push(`${where}.name: "${t.name}" is used twice`);
    names.add(t.name);
    try {
      const expected = expandValue(t.expected, 'expected');
      let args: unknown[];
      let ops: string[] | undefined;
      if (meta.function) {
        const given = t.args as Record<string, unknown>;
        const params = meta.function.params.map((p) => p.name);
        const unknownArgs = Object.keys(given).filter((k) => !params.includes(k));
        const missing = params.filter((p) => !(p in given));
        if (unknownArgs.length > 0) throw new GeneratorError('args', `unknown argument ${unknownArgs.join(', ')} (parameters: ${params.join(', ')})`);
        if (missing.length > 0) throw new GeneratorError('args', `missing argument ${missing.join(', ')}`);
        args = params.map((p) => expandValue(given[p], `args.${p}`));
      } else {
        const design = meta.design!;
        const o = expandValue((t as { ops: unknown }).ops, 'ops');
        const a = expandValue(t.args, 'args');
        if (!Array.isArray(o) || !o.every((x) => typeof x === 'string')) throw new GeneratorError('ops', 'expected a list of operation names');
        if (!Array.isArray(a) || !a.every((x) => Array.isArray(x))) throw new GeneratorError('args', 'expected a list of argument lists');
        if (o.length !== a.length) throw new GeneratorError('args', `has ${a.length} entries for ${o.length} ops`);
        if (o[0] !== design.class) throw new GeneratorError('ops[0]', `expected "${design.class}" (the constructor)`);
        const badOp = o.findIndex((op, i) => i > 0 && !(op in design.methods));
        if (badOp > 0) throw new GeneratorError(`ops[${badOp}]`, `"${o[badOp]}" is not a method of ${design.class}`);
        if (!Array.isArray(expected) || expected.length !== o.length)
          throw new GeneratorError('expected', `expected a list of ${o.length} results, one per op`);
        ops = o as string[];
        args = a;
      }
      tests.push({
        index: tests.length,
        name: t.name,
        args,
        ...(ops ? { ops } : {}),
        expected,
        tags: t.tags,
        hidden: t.hidden,
        compare: t.compare ?? meta.compare,
        tolerance: t.tolerance ?? meta.tolerance,
      });
    } catch (e) {
      if (e instanceof GeneratorError) errors.push(`${where}.${e.message}`);
      else throw e;
    }
  });
  if (errors.length > 0) throw new ProblemFormatError(errors);
  return tests;
}

export function isProblemDir(dir: string): boolean {
  return existsSync(join(dir, 'problem.md'));
}

/** Problem folders directly inside `root` (or `root` itself when it is one), with their problem.md's stamp. */
function problemDirsIn(root: string): { dir: string; stamp?: FileStamp }[] {
  if (isProblemDir(root)) return [{ dir: root }];
  let entries: string[];
  try {
    entries = readdirSync(root);
  } catch (cause) {
    throw new VettaError(
      'not_found',
      `problems folder ${root} cannot be read (${(cause as NodeJS.ErrnoException).code ?? cause}); check --problems, VETTA_PROBLEMS or "problems" in the config file`,
    );
  }
  // One stat a folder: it answers whether there is a problem.md and whether it changed.
  return entries.sort().flatMap((e) => {
    const dir = join(root, e);
    const stat = statSync(join(dir, 'problem.md'), { throwIfNoEntry: false });
    return stat?.isFile() ? [{ dir, stamp: { size: stat.size, mtimeMs: stat.mtimeMs } }] : [];
  });
}

/** A problem whose front matter came from the index; its statement is read when first asked for. */
function indexedProblem(dir: string, origin: Problem['origin'], meta: FrontMatter): Problem {
  const problem = { id: meta.id, dir, meta, origin } as Problem;
  Object.defineProperty(problem, 'statement', {
    enumerable: true,
    configurable: true,
    get() {
      const file = join(dir, 'problem.md');
      const statement = splitFrontMatter(readFileSync(file, 'utf8'), file).body.trim();
      Object.defineProperty(problem, 'statement', { value: statement, enumerable: true, writable: true });
      return statement;
    },
  });
  return problem;
}

export interface ProblemSetOptions {
  /** Problem folders from the config file; VETTA_PROBLEMS and extraDirs come after and win. */
  configDirs?: readonly string[];
  /** Extra problem folders (--problems), in order; later ones win. */
  extraDirs?: readonly string[];
  env?: NodeJS.ProcessEnv;
  includeBuiltin?: boolean;
}

/** A problem folder found in one of the problems folders (its root). */
interface ProblemDir {
  dir: string;
  origin: Problem['origin'];
  root: string;
  stamp?: FileStamp;
}

/**
 * The built-in problems plus the user's folders; a user's id replaces a built-in one. Only the
 * folders are listed up front: a problem.md is parsed when it is first asked for, so starting an
 * interview on one problem does not parse them all.
 */
export class ProblemSet {
  /** Problem folders in order of precedence, lowest first. */
  private readonly dirs: ProblemDir[] = [];
  /** One index a problems folder, so a small folder never reads a large one's. */
  private readonly indexes = new Map<string, ProblemIndex>();
  private readonly loaded = new Map<string, Problem | BrokenProblem>();
  private all?: { problems: Map<string, Problem>; broken: BrokenProblem[] };

  constructor(options: ProblemSetOptions = {}) {
    const env = options.env ?? process.env;
    const fromEnv = (env.VETTA_PROBLEMS ?? '').split(delimiter).filter(Boolean);
    const roots: { dir: string; origin: Problem['origin'] }[] = [];
    if (options.includeBuiltin !== false) roots.push({ dir: builtinProblemsDir(), origin: 'builtin' });
    // A config file cannot rely on a shell to expand "~".
    const expand = (d: string) => (d === '~' || d.startsWith('~/') ? join(homedir(), d.slice(1)) : d);
    for (const d of [...(options.configDirs ?? []), ...fromEnv, ...(options.extraDirs ?? [])]) roots.push({ dir: resolve(expand(d)), origin: 'user' });
    for (const { dir, origin } of roots) {
      this.indexes.set(dir, new ProblemIndex(env, dir, (file) => loadProblem(dirname(file)).meta));
      for (const found of problemDirsIn(dir)) this.dirs.push({ ...found, origin, root: dir });
    }
  }

  /** Every problem that loads, by id. */
  get problems(): Map<string, Problem> {
    return this.loadAll().problems;
  }

  /** The folders whose problem failed to load, and why. */
  get broken(): BrokenProblem[] {
    return this.loadAll().broken;
  }

  list(): Problem[] {
    const order = { easy: 0, medium: 1, hard: 2 };
    // Ids are ASCII slugs: a plain comparison, not localeCompare's (20 ms over 3,000 problems).
    return [...this.problems.values()].sort((a, b) => order[a.meta.difficulty] - order[b.meta.difficulty] || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  /** An id, or a path to a problem folder. */
  get(idOrDir: string): Problem {
    // A problem's id is its folder's name, so only folders of that name can hold it; the last wins.
    // One problem.md is parsed faster than an index is read.
    const candidates = this.dirs.filter(({ dir }) => basename(dir) === idOrDir).map((d) => this.load(d, false));
    const found = candidates.findLast((c): c is Problem => 'id' in c);
    if (found) return found;
    if ((idOrDir.includes('/') || idOrDir.startsWith('.')) && isProblemDir(idOrDir)) return loadProblem(resolve(idOrDir));
    const broken = candidates.find((c): c is BrokenProblem => 'errors' in c);
    if (broken) throw new ProblemFormatError(broken.errors);
    const near = closest(idOrDir, [...this.problems.keys()]);
    const hint = near.length > 0 ? `; did you mean ${near.join(', ')}?` : '; run "vetta problems list" to see them';
    throw new VettaError('not_found', `no problem "${idOrDir}"${hint}`);
  }

  private load({ dir, origin, stamp, root }: ProblemDir, useIndex: boolean): Problem | BrokenProblem {
    let result = this.loaded.get(dir);
    if (result) return result;
    const file = join(dir, 'problem.md');
    const index = useIndex && stamp ? this.indexes.get(root) : undefined;
    const indexed = index?.get(file, stamp!);
    if (indexed) result = indexedProblem(dir, origin, indexed);
    else {
      try {
        result = loadProblem(dir, origin);
        index?.set(file, stamp!, result.meta);
      } catch (e) {
        if (!(e instanceof ProblemFormatError)) throw e;
        result = { dir, errors: e.errors };
      }
    }
    this.loaded.set(dir, result);
    return result;
  }

  private loadAll(): { problems: Map<string, Problem>; broken: BrokenProblem[] } {
    if (!this.all) {
      const all = { problems: new Map<string, Problem>(), broken: [] as BrokenProblem[] };
      for (const d of this.dirs) {
        const result = this.load(d, true);
        if ('id' in result) all.problems.set(result.id, result);
        else all.broken.push(result);
      }
      for (const index of this.indexes.values()) index.save();
      this.all = all;
    }
    return this.all;
  }
}

export function readProblemFile(problem: Problem, name: string): string | undefined {
  const file = join(problem.dir, name);
  return existsSync(file) ? readFileSync(file, 'utf8') : undefined;
}

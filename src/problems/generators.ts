/**
 * Deterministic input generators for large tests.
 *
 * A test argument may be a `{"$gen": ...}` object instead of a literal, so a 100 000-element input
 * costs one line in tests.json instead of 600 KB. Expansion happens in the parent process, once,
 * before the job enters the sandbox, so the Python and JavaScript harnesses never need their own
 * copies of these rules. The random generators use mulberry32: its output for a given seed is part
 * of the problem format and must never change (expected values in tests.json depend on it).
 */

export class GeneratorError extends Error {
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(`${path}: ${message}`);
    this.name = 'GeneratorError';
  }
}

/** mulberry32: a tiny, well-distributed 32-bit PRNG; returns floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Spec = Record<string, unknown>;

const MAX_ELEMENTS = 2_000_000;

function isSpec(value: unknown): value is Spec {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && '$gen' in value;
}

function int(spec: Spec, key: string, path: string, fallback?: number): number {
  const v = spec[key] ?? fallback;
  if (typeof v !== 'number' || !Number.isInteger(v)) {
    throw new GeneratorError(`${path}.${key}`, 'expected an integer');
  }
  return v;
}

function count(spec: Spec, key: string, path: string): number {
  const n = int(spec, key, path);
  if (n < 0 || n > MAX_ELEMENTS) {
    throw new GeneratorError(`${path}.${key}`, `expected 0 to ${MAX_ELEMENTS}`);
  }
  return n;
}

function str(spec: Spec, key: string, path: string): string {
  const v = spec[key];
  if (typeof v !== 'string' || v.length === 0) {
    throw new GeneratorError(`${path}.${key}`, 'expected a non-empty string');
  }
  return v;
}

function randomString(rand: () => number, length: number, alphabet: string): string {
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[Math.floor(rand() * alphabet.length)];
  return out;
}

function generate(spec: Spec, path: string): unknown {
  const kind = spec.$gen;
  switch (kind) {
    case 'range': {
      const start = int(spec, 'start', path, 0);
      const stop = int(spec, 'stop', path);
      const step = int(spec, 'step', path, 1);
      if (step === 0) throw new GeneratorError(`${path}.step`, 'must not be 0');
      const n = Math.max(0, Math.ceil((stop - start) / step));
      if (n > MAX_ELEMENTS) throw new GeneratorError(path, `range has more than ${MAX_ELEMENTS} elements`);
      return Array.from({ length: n }, (_, i) => start + i * step);
    }
    case 'repeat': {
      const n = count(spec, 'count', path);
      const value = expandValue(spec.value, `${path}.value`);
      if (spec.as === 'string') {
        if (typeof value !== 'string') throw new GeneratorError(`${path}.value`, 'expected a string with "as": "string"');
        return value.repeat(n);
      }
      if (spec.as === 'flat') {
        if (!Array.isArray(value)) throw new GeneratorError(`${path}.value`, 'expected a list with "as": "flat"');
        if (n * value.length > MAX_ELEMENTS) throw new GeneratorError(path, `has more than ${MAX_ELEMENTS} elements`);
        return Array.from({ length: n }, () => structuredClone(value)).flat(1);
      }
      return Array.from({ length: n }, () => structuredClone(value));
    }
    case 'ints': {
      const n = count(spec, 'count', path);
      const min = int(spec, 'min', path);
      const max = int(spec, 'max', path);
      if (max < min) throw new GeneratorError(`${path}.max`, 'must be >= min');
      const rand = mulberry32(int(spec, 'seed', path, 1));
      const span = max - min + 1;
      return Array.from({ length: n }, () => min + Math.floor(rand() * span));
    }
    case 'string': {
      const rand = mulberry32(int(spec, 'seed', path, 1));
      return randomString(rand, count(spec, 'length', path), str(spec, 'alphabet', path));
    }
    case 'grid': {
      const rows = count(spec, 'rows', path);
      const cols = count(spec, 'cols', path);
      if (rows * cols > MAX_ELEMENTS) throw new GeneratorError(path, `grid has more than ${MAX_ELEMENTS} cells`);
      const alphabet = str(spec, 'alphabet', path);
      const rand = mulberry32(int(spec, 'seed', path, 1));
      const cells = (row: string) => (spec.as === 'int' ? Array.from(row, Number) : Array.from(row));
      if (spec.as === 'int' && !/^[0-9]+$/.test(alphabet)) throw new GeneratorError(`${path}.alphabet`, 'expected digits with "as": "int"');
      return Array.from({ length: rows }, () => cells(randomString(rand, cols, alphabet)));
    }
    case 'shuffle': {
      const items = expandValue(spec.of, `${path}.of`);
      if (!Array.isArray(items)) throw new GeneratorError(`${path}.of`, 'expected a list');
      const rand = mulberry32(int(spec, 'seed', path, 1));
      const out = items.slice();
      for (let i = out.length - 1; i > 0; i--) {
        const j = Math.floor(rand() * (i + 1));
        [out[i], out[j]] = [out[j], out[i]];
      }
      return out;
    }
    case 'concat': {
      const parts = spec.parts;
      if (!Array.isArray(parts) || parts.length === 0) throw new GeneratorError(`${path}.parts`, 'expected a non-empty list');
      const expanded = parts.map((p, i) => expandValue(p, `${path}.parts[${i}]`));
      if (expanded.every((p) => typeof p === 'string')) return expanded.join('');
      if (expanded.every((p) => Array.isArray(p))) return expanded.flat(1);
      throw new GeneratorError(`${path}.parts`, 'parts must be all lists or all strings');
    }
    case 'zip': {
      const lists = spec.lists;
      if (!Array.isArray(lists) || lists.length === 0) throw new GeneratorError(`${path}.lists`, 'expected a non-empty list');
      const expanded = lists.map((l, i) => {
        const v = expandValue(l, `${path}.lists[${i}]`);
        if (!Array.isArray(v)) throw new GeneratorError(`${path}.lists[${i}]`, 'expected a list');
        return v;
      });
      const n = Math.min(...expanded.map((l) => l.length));
      return Array.from({ length: n }, (_, i) => expanded.map((l) => l[i]));
    }
    default:
      throw new GeneratorError(
        `${path}.$gen`,
        `unknown generator ${JSON.stringify(kind)} (expected range, repeat, ints, string, grid, shuffle, concat or zip)`,
      );
  }
}

/** Replaces every `{"$gen": ...}` inside `value` by what it generates; literals pass through. */
export function expandValue(value: unknown, path = 'value'): unknown {
  if (isSpec(value)) return generate(value, path);
  if (Array.isArray(value)) return value.map((v, i) => expandValue(v, `${path}[${i}]`));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, expandValue(v, `${path}.${k}`)]));
  }
  return value;
}

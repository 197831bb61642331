import type { Comparator } from './schema.js';

/** A canonical string for a JSON value; with `unordered`, lists are sorted at every level. */
function canonical(value: unknown, unordered: boolean): string {
  if (Array.isArray(value)) {
    const items = value.map((v) => canonical(v, unordered));
    if (unordered) items.sort();
    return `[${items.join(',')}]`;
  }
  if (value !== null && typeof value === 'object') {
    const keys = Object.keys(value).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k], unordered)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

/**
 * Structural equality without building strings: a 100 000-element answer is compared in a few
 * milliseconds. `numbersEqual` decides what equal numbers are (exact, or within a tolerance).
 */
function equal(a: unknown, b: unknown, numbersEqual: (x: number, y: number) => boolean): boolean {
  if (typeof a === 'number' && typeof b === 'number') return numbersEqual(a, b);
  if (a === b) return true;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!equal(a[i], b[i], numbersEqual)) return false;
    return true;
  }
  if (a !== null && b !== null && typeof a === 'object' && typeof b === 'object' && !Array.isArray(b)) {
    const ka = Object.keys(a);
    if (ka.length !== Object.keys(b).length) return false;
    return ka.every((k) => k in b && equal((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], numbersEqual));
  }
  return false;
}

const exactly = (x: number, y: number) => x === y;

function closeEnough(a: number, b: number, tolerance: number): boolean {
  const diff = Math.abs(a - b);
  return diff <= tolerance || diff <= tolerance * Math.max(Math.abs(a), Math.abs(b));
}

/** Does the solution's value match the expected one under the test's comparator? */
export function matches(actual: unknown, expected: unknown, comparator: Comparator, tolerance: number): boolean {
  switch (comparator) {
    case 'exact':
      return equal(actual, expected, exactly);
    case 'float':
      return equal(actual, expected, (x, y) => closeEnough(x, y, tolerance));
    case 'unordered': {
      if (!Array.isArray(actual) || !Array.isArray(expected)) return equal(actual, expected, exactly);
      if (actual.length !== expected.length) return false;
      const a = actual.map((v) => canonical(v, false)).sort();
      const e = expected.map((v) => canonical(v, false)).sort();
      return a.length === e.length && a.every((x, i) => x === e[i]);
    }
    case 'unordered-deep':
      return canonical(actual, true) === canonical(expected, true);
  }
}

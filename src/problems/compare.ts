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

function closeEnough(a: number, b: number, tolerance: number): boolean {
  const diff = Math.abs(a - b);
  return diff <= tolerance || diff <= tolerance * Math.max(Math.abs(a), Math.abs(b));
}

function floatEqual(actual: unknown, expected: unknown, tolerance: number): boolean {
  if (typeof actual === 'number' && typeof expected === 'number') return closeEnough(actual, expected, tolerance);
  if (Array.isArray(actual) && Array.isArray(expected)) {
    return actual.length === expected.length && actual.every((a, i) => floatEqual(a, expected[i], tolerance));
  }
  return canonical(actual, false) === canonical(expected, false);
}

/** Does the solution's value match the expected one under the test's comparator? */
export function matches(actual: unknown, expected: unknown, comparator: Comparator, tolerance: number): boolean {
  switch (comparator) {
    case 'exact':
      return canonical(actual, false) === canonical(expected, false);
    case 'float':
      return floatEqual(actual, expected, tolerance);
    case 'unordered': {
      if (!Array.isArray(actual) || !Array.isArray(expected)) return canonical(actual, false) === canonical(expected, false);
      const a = actual.map((v) => canonical(v, false)).sort();
      const e = expected.map((v) => canonical(v, false)).sort();
      return a.length === e.length && a.every((x, i) => x === e[i]);
    }
    case 'unordered-deep':
      return canonical(actual, true) === canonical(expected, true);
  }
}

/**
 * Whether a test value fits a declared type (docs/problem-format.md, Types). A dataset that wrote a
 * string where the signature says int[] is caught here, with what the value is, instead of
 * showing up only as the reference solution failing.
 */

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'string') return `a string ${JSON.stringify(value.length > 30 ? `${value.slice(0, 30)}...` : value)}`;
  if (typeof value === 'number') return Number.isInteger(value) ? `the integer ${value}` : `the number ${value}`;
  if (typeof value === 'boolean') return `the boolean ${value}`;
  return 'an object';
}

/** An infinity or NaN, as the harnesses and the importer write it. */
function isSpecialFloat(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && typeof (value as { $float?: unknown }).$float === 'string';
}

/** Null when `value` fits `type`; otherwise what is wrong, e.g. `expected int[], got a string "abc"`. */
export function typeMismatch(value: unknown, type: string): string | null {
  const wrong = (what = describe(value)) => `expected ${type}, got ${what}`;
  if (type === 'void') return null;
  if (type.endsWith('[]')) {
    if (!Array.isArray(value)) return wrong();
    const inner = type.slice(0, -2);
    for (let i = 0; i < value.length; i++) {
      const problem = typeMismatch(value[i], inner);
      if (problem) return `${wrong(`a list whose item ${i} is wrong`)} (${problem})`;
    }
    return null;
  }
  switch (type) {
    case 'int':
      return typeof value === 'number' && Number.isInteger(value) ? null : wrong();
    case 'float':
      return typeof value === 'number' || isSpecialFloat(value) ? null : wrong();
    case 'bool':
      return typeof value === 'boolean' ? null : wrong();
    case 'string':
      return typeof value === 'string' ? null : wrong();
    case 'char':
      return typeof value === 'string' && [...value].length === 1 ? null : wrong();
    case 'ListNode':
    case 'TreeNode':
      // Serialised as a list of values; a tree's missing children are null.
      return Array.isArray(value) ? null : wrong();
    default:
      return null;
  }
}

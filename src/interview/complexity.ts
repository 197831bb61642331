/**
 * Big-O classes as an interviewer reasons about them: read from what a candidate says ("n log n",
 * "o of n squared", "linear") or from a problem's `complexity`, ordered by growth, and turned into a
 * step count for the problem's largest input.
 */

export interface Cost {
  /** Canonical spelling: O(1), O(log n), O(n), O(n log n), O(n^2), O(n^3), O(2^n), O(n!). */
  label: string;
  /** Growth order: the polynomial degree, +0.5 for a log factor; 100 exponential, 200 factorial. */
  rank: number;
}

const EXPONENTIAL = 100;
const FACTORIAL = 200;

export const COSTS = {
  constant: { label: 'O(1)', rank: 0 },
  log: { label: 'O(log n)', rank: 0.5 },
  linear: { label: 'O(n)', rank: 1 },
  nlogn: { label: 'O(n log n)', rank: 1.5 },
  quadratic: { label: 'O(n^2)', rank: 2 },
  cubic: { label: 'O(n^3)', rank: 3 },
  exponential: { label: 'O(2^n)', rank: EXPONENTIAL },
  factorial: { label: 'O(n!)', rank: FACTORIAL },
  /** Two sizes multiplied: quadratic for two strings, one visit per cell for a grid (see `inCells`). */
  product: { label: 'O(m·n)', rank: 2 },
} as const satisfies Record<string, Cost>;

/** In a grid problem the input's size is its cell count: a walk over it is O(m·n), as linear as it gets. */
export function inCells(cost: Cost): Cost {
  return cost.rank === 1 || cost.label === COSTS.product.label ? { label: COSTS.product.label, rank: 1 } : cost;
}

/** Spoken and written spellings of a complexity, once "o of"/"big o" is stripped. */
const SPOKEN: [RegExp, Cost][] = [
  [/^(n|k|v)\s*(!|factorial)/, COSTS.factorial],
  [/^(2|two|4|four)\s*(\^|\*\*|to the( power( of)?)?)\s*(2\s*n|two n|n|k|v)\b|^exponential/, COSTS.exponential],
  [/^(n|v)\s*(\^\s*3|\*\*\s*3|cubed|cube)|^cubic|^(n|v)\s*(\*|times)\s*(n|v)\s*(\*|times)\s*(n|v)/, COSTS.cubic],
  [/^(n|v)\s*(\^\s*2|\*\*\s*2|squared|square)|^quadratic|^(n|v)\s*(\*|times|x)\s*(n|v)\b/, COSTS.quadratic],
  [
    /^(?:n\s*(?:\*|times|x|by|·)?\s*m|m\s*(?:\*|times|x|by|·)?\s*n|(?:n|m)\s*(?:\*|times|x|by|·)\s*k|rows?\s*(?:\*|times|x|by|·)\s*(?:cols?|columns?))\b/,
    COSTS.product,
  ],
  [/^(n|m|k)\s*(\*|times)?\s*log\s*\(?\s*(n|k|m)|^linearithmic/, COSTS.nlogn],
  [/^log\s*\(?\s*(n|k|m)\b|^logarithmic/, COSTS.log],
  [/^(n|m|k|v\s*\+\s*e|n\s*\+\s*m|m\s*\+\s*n|e\s*\+\s*v|2n|n\/2)\b|^linear|^(?:min|max)\s*\(?\s*(?:m|n)\s*,\s*(?:m|n)\s*\)?/, COSTS.linear],
  [/^(1|one)\b|^constant/, COSTS.constant],
];

/** "O(n log n)", "o of n squared", "big o of n", "linear", "n^2": the class, or null. */
export function parseCost(text: string): Cost | null {
  const t = text
    .toLowerCase()
    .replace(/\bbig\s*o\s*of\b|\bbig\s*o\b|\bo\s*of\b|\bo\s*\(/g, ' ')
    .replace(/[()]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  for (const [re, cost] of SPOKEN) if (re.test(t)) return cost;
  // A product such as O(n * 2^n) or O(n^2 * m): the fastest-growing factor wins.
  if (/2\s*\^\s*n|2\*\*n/.test(t)) return COSTS.exponential;
  if (/n\s*\^\s*3/.test(t)) return COSTS.cubic;
  if (/n\s*\^\s*2/.test(t)) return COSTS.quadratic;
  if (/\bm\s*\*\s*n\b|\bn\s*\*\s*m\b/.test(t)) return COSTS.product;
  if (/n\s*log/.test(t)) return COSTS.nlogn;
  return null;
}

/** A cost over an alphabet ("O(k) for k distinct characters"): bounded by the character set, so constant where that is fixed. */
export function overAlphabet(text: string): boolean {
  return /\bdistinct (?:characters?|letters?|symbols?)\b|\balphabet\b|\bcharacter set\b|\bcharset\b/i.test(text);
}

/** About how many basic steps a cost takes at size n, as a base-10 exponent (10^x steps). */
export function stepsExponent(cost: Cost, n: number): number {
  const lg = Math.log10(Math.max(2, n));
  if (cost.rank >= FACTORIAL) return lgFactorial(n);
  if (cost.rank >= EXPONENTIAL) return n * Math.log10(2);
  const degree = Math.floor(cost.rank);
  const log = cost.rank - degree > 0 ? Math.log10(Math.log2(Math.max(2, n))) : 0;
  return degree * lg + log;
}

function lgFactorial(n: number): number {
  let sum = 0;
  for (let i = 2; i <= Math.min(n, 1_000_000); i++) sum += Math.log10(i);
  return sum;
}

/** 10^x steps said aloud: "about 10^10", "about 4000", "2 to the power 10^5". */
export function sayStepsExponent(cost: Cost, n: number, sizeText: string): string {
  const x = stepsExponent(cost, n);
  if (cost.rank >= EXPONENTIAL && x > 30) return cost.rank >= FACTORIAL ? `${sizeText} factorial steps` : `2 to the power ${sizeText} steps`;
  if (x < 4) return `about ${Math.round(10 ** x)} steps`;
  return `about 10^${Math.round(x)} steps`;
}

/** A budget of about 10^8 simple steps a second, as judges assume. */
export const FEASIBLE_STEPS_EXPONENT = 8;

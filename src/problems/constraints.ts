/**
 * What a problem's Constraints section settles: numeric bounds on sizes and values, and the
 * properties stated in words (distinct, sorted, which characters, a unique answer). The interviewer
 * answers clarifying questions from these, and weighs an approach's cost against the largest size.
 * Built-in statements write `10^5`; imported ones often lost the superscript (`10<sup>5</sup>` became
 * `105`), which is read back as a power where a bound ends in it.
 */

export interface Bound {
  /** What is bounded, as written: `nums.length`, `nums[i]`, `n`, `Node.val`, `rows * cols`. */
  subject: string;
  min?: number;
  max?: number;
  /** A size (a length, a count) rather than a value. */
  size: boolean;
}

export interface ProblemFacts {
  bounds: Bound[];
  /** The largest bound on a size, e.g. 100000 for `1 <= nums.length <= 10^5`; null when none is stated. */
  maxInputSize: number | null;
  /** The elements are distinct (`all distinct`, `unique`); null when the constraints do not say. */
  distinct: boolean | null;
  /** `sorted in ascending order` and the like: the order, or null. */
  sorted: string | null;
  /** `lowercase English letters`, `digits`, ...: the characters strings are made of, or null. */
  characters: string | null;
  /** The statement promises one answer (`the answer is unique`, `exactly one solution`). */
  uniqueAnswer: boolean;
  /** Every constraint line, cleaned, for a model to read. */
  lines: string[];
}

const SECTION = /^#{1,6}\s*constraints\s*:?\s*$|^constraints\s*:\s*$/i;

/** The lines of the Constraints section (until the next heading or a "Follow up"), cleaned of Markdown. */
export function constraintLines(statement: string): string[] {
  const rows = statement.split('\n');
  const start = rows.findIndex((r) => SECTION.test(r.trim()));
  if (start < 0) return [];
  const lines: string[] = [];
  for (const row of rows.slice(start + 1)) {
    const t = row.trim();
    if (/^#{1,6}\s/.test(t) || /^follow[- ]?up\b/i.test(t)) break;
    const cleaned = clean(t.replace(/^[-*]\s+/, ''));
    if (cleaned) lines.push(cleaned);
  }
  return lines;
}

function clean(text: string): string {
  return text
    .replace(/`/g, '')
    .replace(/<sup>\s*(\d+)\s*<\/sup>/g, '^$1')
    .replace(/\*\*\s*(\d)/g, '^$1')
    .replace(/≤|&lt;=|=&lt;/g, '<=')
    .replace(/≥|&gt;=/g, '>=')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/\u00a0/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * A number as constraints write it: `10^5`, `2 * 10^4`, `-10^9`, `1e5`, `5000`, `10,000`, and `105` that
 * was `10<sup>5</sup>` (only at the end of a bound: `104` there is far likelier a lost power than 104).
 */
export function parseNumber(text: string, lostSuperscript = false): number | null {
  const t = text.replace(/\s+/g, '').replace(/(\d),(?=\d{3}\b)/g, '$1');
  let m = /^(-)?(?:(\d+(?:\.\d+)?)[*x×])?10\^(\d+)$/.exec(t);
  if (m) return (m[1] ? -1 : 1) * Number(m[2] ?? 1) * 10 ** Number(m[3]);
  m = /^(-)?(\d+(?:\.\d+)?)e(\d+)$/i.exec(t);
  if (m) return (m[1] ? -1 : 1) * Number(m[2]) * 10 ** Number(m[3]);
  m = /^(-)?(?:(\d+)[*x×])?(\d+)$/.exec(t);
  if (!m) return null;
  const sign = m[1] ? -1 : 1;
  const factor = m[2] ? Number(m[2]) : 1;
  const digits = m[3]!;
  if (lostSuperscript && /^10(?:[3-9]|1[0-8])$/.test(digits)) return sign * factor * 10 ** Number(digits.slice(2));
  if (m[2] && !lostSuperscript) return null;
  return sign * factor * Number(digits);
}

const SIZE_WORDS = /\b(length|len|size|count|number of|nodes|operations|calls|rows|cols|columns|edges|vertices)\b/i;
const SIZE_NAMES = /^(n|m|k?n|rows|cols|columns|[a-z]+\.length|len\([^)]*\)|[a-z]+\.size\(?\)?|[a-z]+ \* [a-z]+)$/i;

function isSize(subject: string): boolean {
  if (/\[[^\]]*\]\s*$/.test(subject) && !/\.length$/.test(subject)) return false;
  return SIZE_NAMES.test(subject) || SIZE_WORDS.test(subject);
}

const COMPARATOR = /\s*(<=|<|>=|>|==|=)\s*/;

/** `a <= x, y <= b`, `0 <= start <= end <= 10^9`, `rows * cols <= 150000`. */
function boundsOfChain(line: string): Bound[] {
  const parts = line.split(COMPARATOR);
  if (parts.length < 3) return [];
  // A chain ends at its last number: `-10 <= nums[i] <= 10, all distinct.`
  const terms = parts
    .filter((_, i) => i % 2 === 0)
    .map((p, i, all) => (i === all.length - 1 ? p.replace(/,\s+[a-z].*$/i, '') : p).replace(/[.,;]$/, '').trim());
  const ops = parts.filter((_, i) => i % 2 === 1);
  if (ops.some((o) => o === '>' || o === '>=')) return [];
  const last = terms.length - 1;
  const values = terms.map((t, i) => parseNumber(t.replace(/,$/, ''), i === 0 || i === last));
  const bounds: Bound[] = [];
  terms.forEach((term, i) => {
    if (values[i] !== null) return;
    const lower = values.slice(0, i).findLast((v) => v !== null);
    const upper = values.slice(i + 1).find((v) => v !== null);
    for (const subject of term.split(/\s*,\s*/).filter(Boolean)) {
      if (!/^[A-Za-z_][\w.[\]()* ]*$/.test(subject) || subject.length > 40 || subject === 'length') continue;
      if (ops[i] === '==' || ops[i] === '=' || ops[i - 1] === '==' || ops[i - 1] === '=') continue;
      const bound: Bound = { subject, size: isSize(subject) };
      if (lower !== undefined && lower !== null) bound.min = lower;
      if (upper !== undefined && upper !== null) bound.max = upper;
      if (bound.min !== undefined || bound.max !== undefined) bounds.push(bound);
    }
  });
  return bounds;
}

/** "The tree has between 0 and 10^5 nodes", "at most 3 * 10^4 operations ... up to 2 * 10^5". */
function boundsInWords(line: string): Bound[] {
  // "k is between 1 and the number of distinct values": a variable's range, its top maybe in words.
  const variable = /^([A-Za-z_]\w{0,10}) is (?:between|in the range|from) (-?[\d^*,.]+(?: \* 10\^\d+)?) (?:and|to) (.+?)\.?$/.exec(line);
  if (variable) {
    const min = parseNumber(variable[2]!);
    const max = parseNumber(variable[3]!, true);
    if (min !== null) return [{ subject: variable[1]!, min, ...(max !== null ? { max } : {}), size: false }];
  }
  const between = /between (-?[\d^*,. ]+?) and (-?[\d^*,]+(?: \* 10\^\d+)?) ([a-z]+(?: [a-z]+)?)/i.exec(line);
  if (between) {
    const min = parseNumber(between[1]!);
    const max = parseNumber(between[2]!, true);
    const subject = `number of ${between[3]!.split(' ')[0]}`;
    if (min !== null && max !== null) return [{ subject, min, max, size: true }];
  }
  const found: Bound[] = [];
  for (const m of line.matchAll(/\b(?:at most|up to) ((?:\d+ \* )?10\^\d+|\d[\d,]*) ([a-z]+)/gi)) {
    const max = parseNumber(m[1]!, true);
    if (max !== null) found.push({ subject: `number of ${m[2]!}`, max, size: true });
  }
  return found;
}

export function parseConstraints(statement: string): ProblemFacts {
  const lines = constraintLines(statement);
  const bounds: Bound[] = [];
  for (const line of lines) {
    // One line may hold several chains: `1 <= rows <= 300, 1 <= cols <= 2000, and rows * cols <= 150000`.
    const chains = line.split(/;\s+|,\s*and\s+|,\s+(?=-?\d)/);
    bounds.push(
      ...chains.flatMap((chain) => {
        const chained = boundsOfChain(chain);
        return chained.length ? chained : boundsInWords(chain);
      }),
    );
  }
  const sizes = bounds.filter((b) => b.size && b.max !== undefined).map((b) => b.max!);
  const text = lines.join('\n');
  const answerLine = /\b(answer|solution|output)\b/i;
  const distinctLine = lines.find((l) => /\b(distinct|unique)\b/i.test(l) && !answerLine.test(l));
  const duplicatesLine = lines.find((l) => /\bduplicates?\b/i.test(l));
  const sorted =
    /\bsorted in ([a-z-]+(?: [a-z-]+)?) order/i.exec(text) ?? /\b(ascending|non-decreasing|increasing|descending|non-increasing) order\b/i.exec(text);
  const characters =
    /\b(?:consists? of|contains?|made of|only)\b[^.]*?\b((?:lower|upper)case English letters(?: and digits)?|English letters(?:, digits)?[^.]*?|digits(?: and [a-z ]+)?|printable ASCII characters)/i.exec(
      text,
    );
  return {
    bounds,
    maxInputSize: sizes.length ? Math.max(...sizes) : null,
    distinct: distinctLine ? true : duplicatesLine ? /\b(no|not|without)\b/i.test(duplicatesLine) : null,
    sorted: sorted ? sorted[1]!.toLowerCase() : null,
    characters: characters ? characters[1]!.trim() : null,
    uniqueAnswer: lines.some((l) =>
      /\b(answer|solution|output) is unique\b|\bexactly one (valid )?(answer|solution)\b|\bonly one valid answer\b|\bunique answer\b/i.test(l),
    ),
    lines,
  };
}

/** 100000 -> "10^5", 20000 -> "2 * 10^4", 5000 -> "5000": how an interviewer says a bound. */
export function formatBound(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  const sign = n < 0 ? '-' : '';
  const a = Math.abs(n);
  if (a < 10_000) return `${sign}${a}`;
  const exp = Math.floor(Math.log10(a));
  const lead = a / 10 ** exp;
  if (Number.isInteger(lead)) return lead === 1 ? `${sign}10^${exp}` : `${sign}${lead} * 10^${exp}`;
  return `${sign}${a}`;
}

/** Levenshtein distance, for "did you mean" suggestions. */
export function editDistance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]!;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j]!;
      prev[j] = Math.min(up + 1, prev[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return prev[b.length]!;
}

/** The candidates closest to `word`: substring matches first, then by edit distance. */
export function closest(word: string, candidates: readonly string[], limit = 3): string[] {
  const w = word.toLowerCase();
  return candidates
    .map((c) => {
      const lc = c.toLowerCase();
      const score = lc.includes(w) || w.includes(lc) ? 0 : editDistance(w, lc) / Math.max(w.length, lc.length);
      return { c, score };
    })
    .filter((x) => x.score <= 0.5)
    .sort((x, y) => x.score - y.score || x.c.localeCompare(y.c))
    .slice(0, limit)
    .map((x) => x.c);
}

/** "a", "a and b", "a, b and c" */
export function joinWords(words: readonly string[]): string {
  if (words.length <= 1) return words.join('');
  return `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}`;
}

export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** A value on one line: long lists are cut, so a 100 000-element input stays readable. */
export function preview(value: unknown, max = 160): string {
  return truncate(JSON.stringify(value) ?? 'undefined', max);
}

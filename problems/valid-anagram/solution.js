function isAnagram(s, t) {
  const a = [...s];
  const b = [...t];
  if (a.length !== b.length) return false;
  const counts = new Map();
  for (const ch of a) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  for (const ch of b) {
    const n = counts.get(ch);
    if (!n) return false;
    counts.set(ch, n - 1);
  }
  return true;
}

// Greedily takes the longest word that fits at each point and never backtracks.
function wordBreak(s, wordDict) {
  const words = [...wordDict].sort((a, b) => b.length - a.length);
  let i = 0;
  while (i < s.length) {
    const w = words.find((word) => s.startsWith(word, i));
    if (!w) return false;
    i += w.length;
  }
  return true;
}

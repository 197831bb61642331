function longestCommonSubsequence(text1, text2) {
  if (text1.length < text2.length) [text1, text2] = [text2, text1];
  let previous = new Array(text2.length + 1).fill(0);
  for (const a of text1) {
    const current = [0];
    for (let j = 0; j < text2.length; j++) {
      current.push(a === text2[j] ? previous[j] + 1 : Math.max(previous[j + 1], current[j]));
    }
    previous = current;
  }
  return previous[text2.length];
}

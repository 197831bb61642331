function rob(nums) {
  let before = 0;
  let previous = 0;
  for (const x of nums) [before, previous] = [previous, Math.max(previous, before + x)];
  return previous;
}

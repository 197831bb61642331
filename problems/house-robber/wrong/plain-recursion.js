// Correct but exponential: the recursion recomputes the same suffixes.
function rob(nums) {
  const best = (i) => (i >= nums.length ? 0 : Math.max(best(i + 1), nums[i] + best(i + 2)));
  return best(0);
}

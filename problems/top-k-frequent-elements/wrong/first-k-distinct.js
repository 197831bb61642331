// Returns the first k distinct values in order of appearance, not the most frequent ones.
function topKFrequent(nums, k) {
  return [...new Set(nums)].slice(0, k);
}

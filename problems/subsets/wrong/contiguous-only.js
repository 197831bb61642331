// Returns only contiguous slices (and the empty set), missing subsets like [1,3].
function subsets(nums) {
  const result = [[]];
  for (let i = 0; i < nums.length; i++) for (let j = i + 1; j <= nums.length; j++) result.push(nums.slice(i, j));
  return result;
}

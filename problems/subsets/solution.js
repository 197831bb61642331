function subsets(nums) {
  let result = [[]];
  for (const x of nums) result = result.concat(result.map((subset) => [...subset, x]));
  return result;
}

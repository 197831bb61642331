function topKFrequent(nums, k) {
  const counts = new Map();
  for (const x of nums) counts.set(x, (counts.get(x) ?? 0) + 1);
  const buckets = Array.from({ length: nums.length + 1 }, () => []);
  for (const [value, count] of counts) buckets[count].push(value);
  const answer = [];
  for (let count = nums.length; count > 0 && answer.length < k; count--) {
    for (const value of buckets[count]) {
      answer.push(value);
      if (answer.length === k) break;
    }
  }
  return answer;
}

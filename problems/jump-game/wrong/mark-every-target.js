// Correct but O(n * max jump): marks every index reachable from each reachable index.
function canJump(nums) {
  const ok = new Array(nums.length).fill(false);
  ok[0] = true;
  for (let i = 0; i < nums.length; i++) {
    if (!ok[i]) continue;
    for (let j = 1; j <= nums[i] && i + j < nums.length; j++) ok[i + j] = true;
  }
  return ok[nums.length - 1];
}

// Takes the middle element without sorting first.
function majorityElement(nums) {
  return nums[Math.floor(nums.length / 2)];
}

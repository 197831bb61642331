# Starts the best sum at 0, so an array of only negative numbers returns 0.
class Solution:
    def maxSubArray(self, nums: List[int]) -> int:
        best = current = 0
        for x in nums:
            current = max(0, current + x)
            best = max(best, current)
        return best

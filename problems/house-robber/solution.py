class Solution:
    def rob(self, nums: List[int]) -> int:
        before, previous = 0, 0
        for x in nums:
            before, previous = previous, max(previous, before + x)
        return previous

# Finds the last position with an upper bound but forgets to step back one index.
class Solution:
    def searchRange(self, nums: List[int], target: int) -> List[int]:
        import bisect
        first = bisect.bisect_left(nums, target)
        if first == len(nums) or nums[first] != target:
            return [-1, -1]
        return [first, bisect.bisect_right(nums, target)]

# Records the backtracking path itself instead of a copy, so every recorded subset ends up empty.
class Solution:
    def subsets(self, nums: List[int]) -> List[List[int]]:
        result, path = [], []
        def go(i):
            if i == len(nums):
                result.append(path)
                return
            go(i + 1)
            path.append(nums[i])
            go(i + 1)
            path.pop()
        go(0)
        return result

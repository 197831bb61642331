class Solution:
    def searchRange(self, nums: List[int], target: int) -> List[int]:
        pass

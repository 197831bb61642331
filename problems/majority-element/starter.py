class Solution:
    def majorityElement(self, nums: List[int]) -> int:
        pass

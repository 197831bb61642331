class Solution:
    def trap(self, height: List[int]) -> int:
        pass

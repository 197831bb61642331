# Correct but O(n^2): for every column it scans left and right for the tallest bars.
class Solution:
    def trap(self, height: List[int]) -> int:
        water = 0
        for i in range(len(height)):
            water += max(0, min(max(height[: i + 1]), max(height[i:])) - height[i])
        return water

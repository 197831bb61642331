class Solution:
    def numIslands(self, grid: List[List[str]]) -> int:
        pass

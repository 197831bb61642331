# Right answers, but the visited cells live in a plain list, so every "seen?" check scans it: quadratic in the land, too slow on large grids.
class Solution:
    def numIslands(self, grid: List[List[str]]) -> int:
        rows, cols = len(grid), len(grid[0])
        visited = []
        islands = 0
        for r in range(rows):
            for c in range(cols):
                if grid[r][c] == "1" and (r, c) not in visited:
                    islands += 1
                    visited.append((r, c))
                    queue = [(r, c)]
                    while queue:
                        y, x = queue.pop()
                        for ny, nx in ((y + 1, x), (y - 1, x), (y, x + 1), (y, x - 1)):
                            if 0 <= ny < rows and 0 <= nx < cols and grid[ny][nx] == "1" and (ny, nx) not in visited:
                                visited.append((ny, nx))
                                queue.append((ny, nx))
        return islands

class Solution:
    def numIslands(self, grid: List[List[str]]) -> int:
        if not grid or not grid[0]:
            return 0
        rows, cols = len(grid), len(grid[0])
        seen = [[False] * cols for _ in range(rows)]
        islands = 0
        for r in range(rows):
            row = grid[r]
            for c in range(cols):
                if row[c] != "1" or seen[r][c]:
                    continue
                islands += 1
                seen[r][c] = True
                stack = [(r, c)]
                while stack:
                    y, x = stack.pop()
                    if y > 0 and grid[y - 1][x] == "1" and not seen[y - 1][x]:
                        seen[y - 1][x] = True
                        stack.append((y - 1, x))
                    if y + 1 < rows and grid[y + 1][x] == "1" and not seen[y + 1][x]:
                        seen[y + 1][x] = True
                        stack.append((y + 1, x))
                    if x > 0 and grid[y][x - 1] == "1" and not seen[y][x - 1]:
                        seen[y][x - 1] = True
                        stack.append((y, x - 1))
                    if x + 1 < cols and grid[y][x + 1] == "1" and not seen[y][x + 1]:
                        seen[y][x + 1] = True
                        stack.append((y, x + 1))
        return islands

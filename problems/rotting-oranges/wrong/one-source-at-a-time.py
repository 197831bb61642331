# Runs a separate BFS from each rotten orange and keeps the slowest, instead of spreading from
# all of them at once: over-counts the minutes when several oranges are rotten at the start.
class Solution:
    def orangesRotting(self, grid: List[List[int]]) -> int:
        rows, cols = len(grid), len(grid[0])
        sources = [(r, c) for r in range(rows) for c in range(cols) if grid[r][c] == 2]
        best = {}
        for source in sources:
            seen = {source: 0}
            queue = deque([source])
            while queue:
                r, c = queue.popleft()
                for nr, nc in ((r + 1, c), (r - 1, c), (r, c + 1), (r, c - 1)):
                    if 0 <= nr < rows and 0 <= nc < cols and grid[nr][nc] == 1 and (nr, nc) not in seen:
                        seen[(nr, nc)] = seen[(r, c)] + 1
                        queue.append((nr, nc))
            for cell, t in seen.items():
                best[cell] = max(best.get(cell, 0), t)
        fresh = [(r, c) for r in range(rows) for c in range(cols) if grid[r][c] == 1]
        if any(cell not in best for cell in fresh):
            return -1
        return max((best[cell] for cell in fresh), default=0)

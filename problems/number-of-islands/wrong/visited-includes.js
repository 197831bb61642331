// Right answers, but visited cells are kept in an array checked with includes(): quadratic in the land, too slow on large grids.
function numIslands(grid) {
  const rows = grid.length;
  const cols = grid[0].length;
  const visited = [];
  let islands = 0;
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      if (grid[r][c] !== '1' || visited.includes(`${r},${c}`)) continue;
      islands++;
      visited.push(`${r},${c}`);
      const stack = [[r, c]];
      while (stack.length > 0) {
        const [y, x] = stack.pop();
        for (const [ny, nx] of [[y + 1, x], [y - 1, x], [y, x + 1], [y, x - 1]]) {
          if (ny < 0 || ny >= rows || nx < 0 || nx >= cols || grid[ny][nx] !== '1') continue;
          const key = `${ny},${nx}`;
          if (!visited.includes(key)) {
            visited.push(key);
            stack.push([ny, nx]);
          }
        }
      }
    }
  }
  return islands;
}

function numIslands(grid) {
  const rows = grid.length;
  if (rows === 0) return 0;
  const cols = grid[0].length;
  const seen = new Uint8Array(rows * cols);
  const stack = [];
  let islands = 0;
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      if (grid[r][c] !== '1' || seen[r * cols + c]) continue;
      islands++;
      seen[r * cols + c] = 1;
      stack.push(r * cols + c);
      while (stack.length > 0) {
        const cell = stack.pop();
        const y = Math.floor(cell / cols);
        const x = cell - y * cols;
        const around = [[y - 1, x], [y + 1, x], [y, x - 1], [y, x + 1]];
        for (const [ny, nx] of around) {
          if (ny < 0 || ny >= rows || nx < 0 || nx >= cols) continue;
          const k = ny * cols + nx;
          if (grid[ny][nx] === '1' && !seen[k]) {
            seen[k] = 1;
            stack.push(k);
          }
        }
      }
    }
  }
  return islands;
}

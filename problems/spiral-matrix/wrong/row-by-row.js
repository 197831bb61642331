// Reads the matrix row by row in a zigzag instead of in a spiral.
function spiralOrder(matrix) {
  return matrix.flatMap((row, i) => (i % 2 === 0 ? row : [...row].reverse()));
}

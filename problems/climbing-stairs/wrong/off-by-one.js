// Starts the sequence one step too late: returns the count for n - 1 steps.
function climbStairs(n) {
  let previous = 0;
  let current = 1;
  for (let i = 1; i < n; i++) [previous, current] = [current, previous + current];
  return current;
}

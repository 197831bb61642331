// Uses only the tallest bar on the left, so water "spills" over the right end into the count.
function trap(height) {
  let leftMax = 0;
  let water = 0;
  for (const h of height) {
    leftMax = Math.max(leftMax, h);
    water += leftMax - h;
  }
  return water;
}

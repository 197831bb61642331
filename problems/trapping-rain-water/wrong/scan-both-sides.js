// Correct but O(n^2): for every column it scans left and right for the tallest bars.
function trap(height) {
  let water = 0;
  for (let i = 0; i < height.length; i++) {
    let l = 0;
    let r = 0;
    for (let j = 0; j <= i; j++) l = Math.max(l, height[j]);
    for (let j = i; j < height.length; j++) r = Math.max(r, height[j]);
    water += Math.min(l, r) - height[i];
  }
  return water;
}

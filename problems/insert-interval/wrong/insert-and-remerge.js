// Correct but re-merges by repeatedly scanning for any overlapping pair: quadratic on large input.
function insert(intervals, newInterval) {
  const list = intervals.map((x) => x.slice());
  list.push(newInterval.slice());
  list.sort((a, b) => a[0] - b[0]);
  let merged = true;
  while (merged) {
    merged = false;
    for (let i = 0; i + 1 < list.length; i++) {
      if (list[i + 1][0] <= list[i][1]) {
        list[i][1] = Math.max(list[i][1], list[i + 1][1]);
        list.splice(i + 1, 1);
        merged = true;
        break;
      }
    }
  }
  return list;
}

// Subtracts the overall minimum from the overall maximum, ignoring that the sale must come later.
function maxProfit(prices) {
  return Math.max(...prices) - Math.min(...prices);
}

// Correct but O(n^2): tries every buy and sell day, too slow for 100 000 prices.
function maxProfit(prices) {
  let best = 0;
  for (let i = 0; i < prices.length; i++) for (let j = i + 1; j < prices.length; j++) best = Math.max(best, prices[j] - prices[i]);
  return best;
}

/**
 * @param {number[]} prices
 * @return {number}
 */
function maxProfit(prices) {

}

/**
 * @param {number} n
 * @return {string[]}
 */
function generateParenthesis(n) {

}

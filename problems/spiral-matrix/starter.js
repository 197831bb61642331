/**
 * @param {number[][]} matrix
 * @return {number[]}
 */
function spiralOrder(matrix) {

}

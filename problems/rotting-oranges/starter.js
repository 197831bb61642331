/**
 * @param {number[][]} grid
 * @return {number}
 */
function orangesRotting(grid) {

}

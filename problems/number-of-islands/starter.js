/**
 * @param {character[][]} grid
 * @return {number}
 */
function numIslands(grid) {

}

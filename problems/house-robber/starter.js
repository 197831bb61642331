/**
 * @param {number[]} nums
 * @return {number}
 */
function rob(nums) {

}

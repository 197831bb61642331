/**
 * @param {number[]} nums
 * @return {boolean}
 */
function canJump(nums) {

}

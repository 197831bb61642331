/**
 * @param {number[]} nums
 * @return {number}
 */
function maxSubArray(nums) {

}

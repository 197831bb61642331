/**
 * @param {number[]} nums
 * @return {number}
 */
function majorityElement(nums) {

}

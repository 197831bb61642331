function majorityElement(nums: number[]): number {

}

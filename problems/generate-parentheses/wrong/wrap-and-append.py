# Builds strings only by wrapping "(x)" or appending "()": misses shapes like "(())(())".
class Solution:
    def generateParenthesis(self, n: int) -> List[str]:
        level = {"()"}
        for _ in range(n - 1):
            level = {"(" + s + ")" for s in level} | {s + "()" for s in level} | {"()" + s for s in level}
        return sorted(level)

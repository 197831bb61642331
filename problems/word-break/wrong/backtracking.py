# Correct but exponential: plain backtracking retries the same suffixes ("aaaa...ab").
class Solution:
    def wordBreak(self, s: str, wordDict: List[str]) -> bool:
        def can(start):
            if start == len(s):
                return True
            return any(s.startswith(w, start) and can(start + len(w)) for w in wordDict)
        return can(0)

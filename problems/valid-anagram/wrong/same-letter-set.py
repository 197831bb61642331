# Compares the sets of letters, ignoring how often each occurs ("aab" vs "abb").
class Solution:
    def isAnagram(self, s: str, t: str) -> bool:
        return set(s) == set(t)

# Correct but O(n * distinct): counts each distinct value by scanning the whole list again.
class Solution:
    def topKFrequent(self, nums: List[int], k: int) -> List[int]:
        distinct = list(set(nums))
        counted = [(sum(1 for x in nums if x == v), v) for v in distinct]
        counted.sort(reverse=True)
        return [v for _, v in counted[:k]]

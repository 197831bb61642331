class Solution:
    def topKFrequent(self, nums: List[int], k: int) -> List[int]:
        pass

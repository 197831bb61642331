// Compares two sorted arrays with ===, which checks identity, not contents: always false.
function isAnagram(s, t) {
  return s.length === t.length && (s.split('').sort() === t.split('').sort() || s === t);
}

// Remembers only one minimum: after popping the minimum it still reports the popped value.
class MinStack {
  constructor() { this.items = []; this.min = Infinity; }
  push(val) { this.items.push(val); this.min = Math.min(this.min, val); }
  pop() { this.items.pop(); }
  top() { return this.items[this.items.length - 1]; }
  getMin() { return this.min; }
}

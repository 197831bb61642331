class MinStack {
  constructor() {
    this.items = [];
    this.mins = [];
  }

  push(val) {
    this.items.push(val);
    const m = this.mins.length === 0 ? val : Math.min(val, this.mins[this.mins.length - 1]);
    this.mins.push(m);
  }

  pop() {
    this.items.pop();
    this.mins.pop();
  }

  top() {
    return this.items[this.items.length - 1];
  }

  getMin() {
    return this.mins[this.mins.length - 1];
  }
}

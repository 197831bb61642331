class MinStack {
  constructor() {

  }

  /** @param {number} val */
  push(val) {

  }

  pop() {

  }

  /** @return {number} */
  top() {

  }

  /** @return {number} */
  getMin() {

  }
}

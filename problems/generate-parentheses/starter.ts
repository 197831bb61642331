function generateParenthesis(n: number): string[] {

}

function trap(height: number[]): number {

}

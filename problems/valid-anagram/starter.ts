function isAnagram(s: string, t: string): boolean {

}

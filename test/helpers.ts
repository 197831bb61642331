import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { PassThrough } from 'node:stream';
import { main } from '../src/cli/main.ts';

const created: string[] = [];
process.on('exit', () => {
  for (const dir of created) rmSync(dir, { recursive: true, force: true });
});

/** A fresh folder, removed when the test process exits. */
export function tempDir(prefix = 'vetta-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  created.push(dir);
  return dir;
}

/** Writes files (path -> text) under dir. */
export function writeTree(dir: string, files: Record<string, string>): void {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
}

/** A small valid function problem ("largest"), for tests that need one to exist. */
export function largestProblem(overrides: { frontMatter?: string; tests?: unknown[] } = {}): Record<string, string> {
  const tests = overrides.tests ?? [
    { name: 'example', args: { nums: [3, 1, 4] }, expected: 4, tags: ['example'] },
    { name: 'single', args: { nums: [7] }, expected: 7, tags: ['single'] },
    { name: 'negatives', args: { nums: [-5, -2, -9] }, expected: -2, tags: ['negative'], hidden: true },
    { name: 'big', args: { nums: { $gen: 'range', start: 0, stop: 100000 } }, expected: 99999, tags: ['large'], hidden: true },
  ];
  return {
    'largest/problem.md': `---
id: largest
title: Largest
difficulty: easy
tags: [array]
function:
  params: [{ name: nums, type: "int[]" }]
  returns: int
  python: Solution.largest
  javascript: largest
  typescript: largest
hints:
  nudge: ["n"]
  hint: ["h"]
  reveal: ["r"]
${overrides.frontMatter ?? ''}---
Return the largest element of \`nums\`.
`,
    'largest/tests.json': JSON.stringify({ tests }),
    'largest/solution.py': 'class Solution:\n    def largest(self, nums):\n        return max(nums)\n',
    'largest/solution.js': 'function largest(nums) { return nums.reduce((a, b) => Math.max(a, b)); }\n',
    'largest/starter.py': 'class Solution:\n    def largest(self, nums: List[int]) -> int:\n        pass\n',
    'largest/starter.js': 'function largest(nums) {\n}\n',
    'largest/starter.ts': 'function largest(nums: number[]): number {\n  return 0;\n}\n',
    'largest/wrong/zero.py': '# starts at zero\nclass Solution:\n    def largest(self, nums):\n        return max([0] + nums)\n',
  };
}

/** Runs the CLI in-process and collects what it prints. */
export async function runCli(args: string[], env: NodeJS.ProcessEnv = {}, stdinText?: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = new PassThrough();
  const err = new PassThrough();
  let stdout = '';
  let stderr = '';
  out.on('data', (c) => (stdout += c));
  err.on('data', (c) => (stderr += c));
  const stdin = new PassThrough();
  stdin.end(stdinText ?? '');
  const code = await main(['node', 'vetta', ...args], {
    stdin,
    stdout: out as unknown as NodeJS.WriteStream,
    stderr: err as unknown as NodeJS.WriteStream,
    // An empty config home: the developer's own config file must not change what tests see.
    env: { PATH: process.env.PATH, NO_COLOR: '1', XDG_CONFIG_HOME: '/nonexistent/vetta-test-config', ...env },
  });
  return { code, stdout, stderr };
}

/** A TCP server on the host's loopback that counts the connections a sandbox must never make. */
export async function loopbackServer(): Promise<{ port: number; connections: () => number; close: () => void }> {
  let count = 0;
  const server = createServer((socket) => {
    count++;
    socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as AddressInfo).port, connections: () => count, close: () => server.close() };
}

import assert from 'node:assert/strict';
import { copyFileSync, chmodSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { tempDir } from '../helpers.ts';

// Set before anything resolves the interpreter (it is resolved once per process).
const home = tempDir('vetta-node-');
chmodSync(home, 0o755);
const nodeUnderTmp = join(home, 'node');
copyFileSync(process.execPath, nodeUnderTmp);
chmodSync(nodeUnderTmp, 0o755);
process.env.VETTA_NODE = nodeUnderTmp;

const { judge } = await import('../../src/problems/judge.ts');
const { loadProblem, loadTests } = await import('../../src/problems/load.ts');
const { BubblewrapSandbox } = await import('../../src/sandbox/bubblewrap.ts');
const { runtimeFor } = await import('../../src/sandbox/runtimes.ts');
const { largestProblem, writeTree } = await import('../helpers.ts');

const sandbox = BubblewrapSandbox.detect();

describe('interpreters in unusual places', { skip: typeof sandbox === 'string' ? sandbox : false }, () => {
  it('runs a Node installed under the temporary folder, which the sandbox covers with its own /tmp', async () => {
    assert.equal(runtimeFor('node').path, nodeUnderTmp);
    const dir = tempDir();
    writeTree(dir, largestProblem());
    const problem = loadProblem(`${dir}/largest`);
    const report = await judge(problem, loadTests(problem), { source: 'function largest(nums) { return Math.max(...nums); }', language: 'javascript', sandbox: sandbox as InstanceType<typeof BubblewrapSandbox> });
    assert.equal(report.verdict, 'accepted', report.summary);
  });
});

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, chmodSync, existsSync, mkdirSync, realpathSync, symlinkSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, it } from 'node:test';
import type { Sandbox } from '../../src/core/sandbox.ts';
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
const { NsjailSandbox } = await import('../../src/sandbox/nsjail.ts');
const { runtimeFor } = await import('../../src/sandbox/runtimes.ts');
const { largestProblem, writeTree } = await import('../helpers.ts');

const dir = tempDir();
writeTree(dir, largestProblem());
const problem = loadProblem(`${dir}/largest`);
const judgeJs = (sandbox: Sandbox) =>
  judge(problem, loadTests(problem), { source: 'function largest(nums) { return Math.max(...nums); }', language: 'javascript', sandbox });
const withNode = async <T>(path: string, body: () => Promise<T>): Promise<T> => {
  process.env.VETTA_NODE = path;
  try {
    return await body();
  } finally {
    process.env.VETTA_NODE = nodeUnderTmp;
  }
};

const backends: Array<[string, Sandbox | string]> = [
  ['bubblewrap', BubblewrapSandbox.detect()],
  ['nsjail', NsjailSandbox.detect()],
];

for (const [backend, sandbox] of backends) {
  describe(`interpreters in unusual places (${backend})`, { skip: typeof sandbox === 'string' ? `${backend} unavailable here: ${sandbox}` : false }, () => {
    it('runs a Node installed under the temporary folder, which the sandbox covers with its own /tmp', async () => {
      assert.equal(runtimeFor('node').path, nodeUnderTmp);
      const report = await judgeJs(sandbox as Sandbox);
      assert.equal(report.verdict, 'accepted', report.summary);
    });

    it('runs a Node in a folder only root may enter (nvm under /root in a CI container)', {
      skip: process.getuid?.() === 0 ? false : 'needs root',
    }, async () => {
      const root = tempDir('vetta-root-');
      chmodSync(root, 0o700);
      const privateNode = join(root, 'node');
      copyFileSync(process.execPath, privateNode);
      chmodSync(privateNode, 0o755);
      const report = await withNode(privateNode, () => judgeJs(sandbox as Sandbox));
      assert.equal(report.verdict, 'accepted', report.summary);
    });
  });
}

const bwrap = backends[0]![1];
const oldNode = '/usr/bin/node';
const oldVersion = existsSync(oldNode) ? execFileSync(oldNode, ['-p', 'process.versions.node'], { encoding: 'utf8' }).trim() : '';
describe('a too-old interpreter', { skip: typeof bwrap === 'string' ? bwrap : false }, () => {
  it('names a too-old VETTA_NODE in one line', {
    skip: oldVersion && Number(oldVersion.split('.')[0]) < 22 ? false : `no Node older than 22 at ${oldNode}`,
  }, async () => {
    await assert.rejects(
      withNode(oldNode, () => judgeJs(bwrap as Sandbox)),
      (e: Error) =>
        e.message ===
        `VETTA_NODE is Node ${oldVersion}; solutions need Node 22.13 or later: point VETTA_NODE at a newer node, or unset it to use the one running vetta`,
    );
  });
});

describe('a Python the sandbox user cannot reach', {
  skip: typeof bwrap === 'string' ? bwrap : process.getuid?.() !== 0 ? 'needs root' : existsSync('/usr/bin/python3') ? false : 'no /usr/bin/python3',
}, () => {
  it('is refused with a message naming VETTA_PYTHON (a prefix is a folder: it cannot be linked like a Node binary)', async () => {
    // A Python prefix in a folder only root may enter (pyenv under /root): its binary and, through
    // a link, the system's standard library, which Python finds beside the binary.
    const system = execFileSync('/usr/bin/python3', ['-I', '-S', '-c', 'import os, sys; print(sys.executable); print(os.path.dirname(os.__file__))'], {
      encoding: 'utf8',
    })
      .trim()
      .split('\n');
    const root = tempDir('vetta-root-');
    chmodSync(root, 0o700);
    mkdirSync(join(root, 'bin'));
    mkdirSync(join(root, 'lib'));
    copyFileSync(realpathSync(system[0]!), join(root, 'bin', 'python3'));
    chmodSync(join(root, 'bin', 'python3'), 0o755);
    symlinkSync(system[1]!, join(root, 'lib', basename(system[1]!)));
    process.env.VETTA_PYTHON = join(root, 'bin', 'python3');
    try {
      await assert.rejects(
        judge(problem, loadTests(problem), { source: 'def largest(nums):\n    return max(nums)\n', language: 'python', sandbox: bwrap as Sandbox }),
        (e: Error) => /the sandbox runs as nobody, who cannot reach .*vetta-root-.*: set VETTA_PYTHON/.test(e.message),
      );
    } finally {
      delete process.env.VETTA_PYTHON;
    }
  });
});

import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { largestProblem, loopbackServer, tempDir, writeTree } from '../helpers.ts';

/**
 * A user who is not root: vetta runs as nobody, bwrap creates its namespaces unprivileged, and no
 * cgroup is writable, so vetta must say which limits it cannot enforce while isolation still holds.
 */
const cli = resolve('bin/vetta.js');
const asNobody = ['--reuid', '65534', '--regid', '65534', '--clear-groups', '--'];

function whyNot(): string | false {
  if (process.getuid?.() !== 0) return 'needs root to switch to nobody with setpriv';
  try {
    execFileSync('setpriv', [...asNobody, process.execPath, '-e', `require(${JSON.stringify(cli.replace('bin/vetta.js', 'dist/cli/main.js'))})`], {
      stdio: 'pipe',
    });
  } catch {
    return `nobody cannot run ${process.execPath} on this checkout (a parent folder is private); run from a world-readable folder`;
  }
  return false;
}

const skip = whyNot();

function vettaAsNobody(args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync('setpriv', [...asNobody, process.execPath, cli, ...args], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH, HOME: '/tmp', NO_COLOR: '1', OPENAI_API_KEY: 'planted-openai-key' },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('unprivileged user', { skip }, () => {
  const dir = tempDir();
  writeTree(dir, largestProblem());
  const secret = join(dir, 'secret.txt');
  writeFileSync(secret, 'NOBODY-CAN-READ-THIS-OUTSIDE-THE-SANDBOX');
  execFileSync('chmod', ['-R', 'a+rX', dir]);
  chmodSync(dir, 0o755);

  it('judges in bubblewrap and names the limits it cannot enforce', () => {
    const file = join(dir, 'ok.py');
    writeFileSync(file, 'class Solution:\n    def largest(self, nums):\n        return max(nums)\n', { mode: 0o644 });
    const r = vettaAsNobody(['--problems', dir, 'run', 'largest', file, '--verbose']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /sandbox: bubblewrap/);
    assert.match(r.stderr, /memory and process-count limits are not enforced: cgroups are not writable here/);
    assert.match(r.stdout, /accepted: passes all 4 tests/);
  });

  it('still isolates files, network and environment', async () => {
    const server = await loopbackServer();
    const port = server.port;
    const file = join(dir, 'spy.py');
    writeFileSync(
      file,
      `import os, socket\nclass Solution:\n    def largest(self, nums):\n        seen = [os.path.exists(${JSON.stringify(secret)}), 'OPENAI' in str(os.environ), 'planted' in open('/proc/1/environ').read()]\n` +
        `        try:\n            socket.create_connection(('127.0.0.1', ${port}), timeout=1)\n            seen.append(True)\n        except OSError:\n            seen.append(False)\n        return seen\n`,
      { mode: 0o644 },
    );
    const r = spawnSync('setpriv', [...asNobody, process.execPath, cli, '--problems', dir, 'run', 'largest', file, '--json'], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH, HOME: '/tmp', OPENAI_API_KEY: 'planted-openai-key' },
    });
    server.close();
    const report = JSON.parse(r.stdout);
    assert.deepEqual(report.tests[0].actual, [false, false, false, false]);
    assert.equal(server.connections(), 0);
  });
});

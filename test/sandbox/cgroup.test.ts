import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { BubblewrapSandbox } from '../../src/sandbox/bubblewrap.ts';
import { cgroupUnavailableReason, RunCgroup, sweepStaleCgroups } from '../../src/sandbox/cgroup.ts';

const reason = cgroupUnavailableReason();
const bwrap = BubblewrapSandbox.detect();
const skip = reason ?? (typeof bwrap === 'string' ? bwrap : false);

/** The folders run cgroups are made in (two on cgroup v1: memory and pids). */
function parents(): string[] {
  const cg = RunCgroup.create({ memoryBytes: 64 * 1024 * 1024, maxProcesses: 8 });
  const dirs = cg.dirs.map((d) => dirname(d));
  cg.remove();
  return dirs;
}

const leftOf = (pid: number) => parents().flatMap((p) => readdirSync(p).filter((n) => n.startsWith(`vetta-${pid}-`)));

describe('run cgroups are not left behind', { skip }, () => {
  it('sweeps the folders of vetta processes that are gone, and keeps those of live ones', () => {
    const dead = spawnSync('true').pid!;
    const stale = parents().map((p) => join(p, `vetta-${dead}-1`));
    const mine = parents().map((p) => join(p, `vetta-${process.pid}-999999`));
    for (const d of [...stale, ...mine]) mkdirSync(d);
    try {
      sweepStaleCgroups();
      assert.deepEqual(
        stale.filter((d) => existsSync(d)),
        [],
        'stale folders removed',
      );
      assert.deepEqual(
        mine.filter((d) => !existsSync(d)),
        [],
        'a live process keeps its folders',
      );
    } finally {
      for (const d of [...stale, ...mine]) if (existsSync(d)) rmdirSync(d);
    }
  });

  for (const [signal, how] of [
    ['SIGINT', 'Ctrl-C'],
    ['SIGTERM', 'SIGTERM'],
  ] as const) {
    it(`removes the cgroup of a run in flight when vetta is stopped with ${how}`, async () => {
      // A vetta-like process that starts a long sandboxed run, says so, and is then interrupted.
      const script = `
      import { BubblewrapSandbox } from ${JSON.stringify(new URL('../../src/sandbox/bubblewrap.ts', import.meta.url).pathname)};
      import { DEFAULT_LIMITS } from ${JSON.stringify(new URL('../../src/core/sandbox.ts', import.meta.url).pathname)};
      import { mkdtempSync, writeFileSync, chmodSync } from 'node:fs';
      const box = mkdtempSync('/tmp/vetta-sigint-'); chmodSync(box, 0o755);
      writeFileSync(box + '/main.py', 'print("running", flush=True)\\nimport time\\ntime.sleep(30)\\n', { mode: 0o644 });
      await BubblewrapSandbox.detect().run({ program: 'python', boxDir: box, args: ['{box}/main.py'], limits: { ...DEFAULT_LIMITS, wallMs: 30000 }, onLine: (l) => console.log(l) });
    `;
      const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
      await new Promise<void>((resolve, reject) => {
        child.stdout.on('data', (d: Buffer) => d.toString().includes('running') && resolve());
        child.on('exit', () => reject(new Error('the run ended before it started')));
      });
      assert.equal(leftOf(child.pid!).length > 0, true, 'the run has its cgroup');
      child.kill(signal);
      const [, ended] = await new Promise<[number | null, string | null]>((r) => child.on('exit', (code, sig) => r([code, sig])));
      assert.equal(ended, signal, `the process still ends on ${how}`);
      assert.deepEqual(leftOf(child.pid!), []);
    });
  }
});

import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { DEFAULT_IMAGES, dockerArgs, type DockerSandbox } from '../../src/sandbox/docker.ts';
import { DEFAULT_LIMITS } from '../../src/core/sandbox.ts';
import type { RunMeter } from '../../src/core/sandbox.ts';
import { localDocker } from './local-images.ts';

const args = dockerArgs({
  name: 'vetta-1-abcd',
  image: DEFAULT_IMAGES.python,
  program: 'python',
  boxDir: '/tmp/vetta-judge-x',
  args: ['{box}/harness.py', '{box}/job.json'],
  env: { PATH: '/usr/local/bin:/usr/bin', HOME: '/tmp' },
  limits: DEFAULT_LIMITS,
  tmpfsBytes: 4096,
  seccompProfile: '/tmp/vetta-seccomp-x/profile.json',
  cidFile: '/tmp/vetta-docker-x/vetta-1-abcd.cid',
});
const after = (flag: string) => args.flatMap((a, i) => (a === flag ? [args[i + 1]!] : []));

describe('docker command line', () => {
  it('has every isolation flag the threat model asks for', () => {
    assert.deepEqual(after('--network'), ['none']);
    assert.ok(args.includes('--read-only'));
    assert.deepEqual(after('--memory'), ['128m']);
    assert.deepEqual(after('--memory-swap'), ['128m']);
    assert.deepEqual(after('--pids-limit'), ['64']);
    assert.deepEqual(after('--cap-drop'), ['ALL']);
    assert.deepEqual(after('--security-opt'), ['no-new-privileges', 'seccomp=/tmp/vetta-seccomp-x/profile.json']);
    assert.deepEqual(after('--user'), ['65534:65534']);
    assert.deepEqual(after('--tmpfs'), ['/tmp:rw,nosuid,nodev,size=4096']);
    assert.deepEqual(after('--mount'), ['type=bind,source=/tmp/vetta-judge-x,target=/box,readonly']);
    assert.ok(!args.includes('--rm'), 'kept until its OOM flag is read');
    assert.ok(!args.includes('-v') && !args.includes('--privileged'));
  });

  it('passes only the fixed environment and runs the image interpreter', () => {
    assert.deepEqual(after('--env'), ['PATH=/usr/local/bin:/usr/bin', 'HOME=/tmp']);
    assert.deepEqual(args.slice(args.indexOf(DEFAULT_IMAGES.python)), [DEFAULT_IMAGES.python, 'python3', '-I', '-S', '-B', '/box/harness.py', '/box/job.json']);
  });
});

/** A readable box folder holding main.py. */
function pythonBox(source: string): string {
  const box = mkdtempSync(join(tmpdir(), 'vetta-docker-'));
  chmodSync(box, 0o755);
  writeFileSync(join(box, 'main.py'), source, { mode: 0o644 });
  return box;
}

// This machine's interpreters as images: CI cannot pull from Docker Hub.
const found = localDocker();
describe('docker sandbox, for real', { skip: typeof found === 'string' ? `docker unavailable here: ${found}` : false }, () => {
  it('runs a program as nobody without network', async () => {
    const box = pythonBox(
      'import os, socket\nprint(os.getuid())\ntry:\n    socket.create_connection(("1.1.1.1", 53), timeout=1)\n    print("net")\nexcept OSError:\n    print("no net")\n',
    );
    const lines: string[] = [];
    await (found as DockerSandbox).run({ program: 'python', boxDir: box, args: ['{box}/main.py'], limits: DEFAULT_LIMITS, onLine: (l) => lines.push(l) });
    assert.deepEqual(lines, ['65534', 'no net']);
  });

  it("reads the container's CPU time and peak memory from its cgroup, for fair time limits and for telling a memory stall from a slow run", async () => {
    const box = pythonBox(
      'import time\nend = time.process_time() + 0.3\nwhile time.process_time() < end:\n    pass\nheld = bytearray(60 * 1024 * 1024)\nprint("busy", flush=True)\ntime.sleep(60)\n',
    );
    let meter: RunMeter | undefined;
    let cpu: number | null = null;
    const result = await (found as DockerSandbox).run({
      program: 'python',
      boxDir: box,
      args: ['{box}/main.py'],
      limits: { ...DEFAULT_LIMITS, wallMs: 3000 },
      onMeter: (m) => {
        meter = m;
      },
      onLine: () => {
        cpu = meter?.cpuMs() ?? null;
      },
    });
    assert.ok(cpu !== null && cpu >= 300 && cpu < 1500, `${cpu} ms of CPU`);
    assert.ok(result.timedOut);
    assert.ok((result.peakMemoryBytes ?? 0) >= 60 * 1024 * 1024, `peak ${result.peakMemoryBytes}`);
  });
});

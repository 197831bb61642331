import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { describe, it } from 'node:test';
import { BubblewrapSandbox } from '../../src/sandbox/bubblewrap.ts';
import { cgroupUnavailableReason, RunCgroup } from '../../src/sandbox/cgroup.ts';
import { shellQuote, undoLine } from '../../src/sandbox/reaper.ts';

describe('the reaper, as data', () => {
  it('quotes every path and command word for the shell', () => {
    assert.equal(shellQuote("it's"), `'it'\\''s'`);
    assert.equal(
      undoLine({ cgroups: ['/sys/fs/cgroup/pids/vetta-1-1'], matching: '/tmp/vetta-judge-x', command: ['/usr/bin/docker', 'rm', '--force', 'vetta-1-ab'] }),
      "kill_cgroups '/sys/fs/cgroup/pids/vetta-1-1'; kill_matching '/tmp/vetta-judge-x'; '/usr/bin/docker' 'rm' '--force' 'vetta-1-ab' >/dev/null 2>&1",
    );
    assert.equal(undoLine({}), '');
  });
});

const bwrap = BubblewrapSandbox.detect();
const cgroupReason = cgroupUnavailableReason();
const tsx = new URL('../../node_modules/tsx/dist/loader.mjs', import.meta.url).pathname;
const src = (path: string) => JSON.stringify(new URL(`../../src/${path}`, import.meta.url).pathname);

/**
 * A vetta-like process that starts an endless program in the bubblewrap sandbox and kills itself
 * with SIGKILL (no handler of its own runs) `after` ms after starting the run, or once the program
 * runs. Every process of the run, and its box folder, carry MARK.
 */
const script = `
  import { BubblewrapSandbox } from ${src('sandbox/bubblewrap.ts')};
  import { runtimeFor } from ${src('sandbox/runtimes.ts')};
  import { DEFAULT_LIMITS } from ${src('core/sandbox.ts')};
  import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
  const { MARK, AFTER } = process.env;
  const box = mkdtempSync('/tmp/vetta-reaper-' + MARK + '-'); chmodSync(box, 0o755);
  // Only once the run is under way does the program say so: a program that writes after vetta is
  // gone dies of the broken pipe, and one that only computes is what outlived vetta.
  const say = AFTER === 'running' ? 'print("running", flush=True)\\n' : '';
  writeFileSync(box + '/main.py', say + 'while True:\\n    pass\\n', { mode: 0o644 });
  const sandbox = BubblewrapSandbox.detect();
  runtimeFor('python');
  const die = () => process.kill(process.pid, 'SIGKILL');
  if (AFTER !== 'running') setTimeout(die, Number(AFTER));
  await sandbox.run({ program: 'python', boxDir: box, args: ['{box}/main.py', MARK], limits: { ...DEFAULT_LIMITS, wallMs: 60000 }, onLine: die });
`;

/** Processes whose command line holds the text (pgrep without procps). */
function processesWith(text: string): string[] {
  const found: string[] = [];
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
      if (cmd.includes(text)) found.push(`${pid} ${cmd.slice(0, 120)}`);
    } catch {
      // gone meanwhile
    }
  }
  return found;
}

/** The run cgroups of a vetta process, in every hierarchy they are made in. */
function cgroupsOf(pid: number): string[] {
  if (cgroupReason) return [];
  const probe = RunCgroup.create({ memoryBytes: 64 * 1024 * 1024, maxProcesses: 8 });
  const parents = probe.dirs.map((d) => dirname(d));
  probe.remove();
  return parents.flatMap((p) => readdirSync(p).filter((n) => n.startsWith(`vetta-${pid}-`)));
}

async function killedMidRun(after: string, asNobody: boolean): Promise<{ processes: string[]; cgroups: string[] }> {
  const mark = `reaper${process.pid}x${after}x${asNobody ? 'n' : 'r'}`;
  const node = [process.execPath, '--import', tsx, '--input-type=module', '-e', script];
  const argv = asNobody ? ['setpriv', '--reuid', '65534', '--regid', '65534', '--clear-groups', '--', ...node] : node;
  const child = spawn(argv[0]!, argv.slice(1), { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, MARK: mark, AFTER: after } });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  const signal = await new Promise<string | null>((resolve) => child.on('exit', (_, sig) => resolve(sig)));
  assert.equal(signal, 'SIGKILL', `the vetta-like process killed itself (${stderr.trim()})`);
  // Within two seconds nothing of the run is left.
  const deadline = Date.now() + 2000;
  for (;;) {
    const left = { processes: processesWith(mark), cgroups: cgroupsOf(child.pid!) };
    if ((left.processes.length === 0 && left.cgroups.length === 0) || Date.now() > deadline) {
      // Tidy up after a failure so later tests are not disturbed.
      for (const p of left.processes) {
        try {
          process.kill(Number(p.split(' ')[0]), 'SIGKILL');
        } catch {}
      }
      return left;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Why this cannot run as nobody here, or false. */
function nobodyProblem(): string | false {
  if (process.getuid?.() !== 0) return 'needs root to switch to nobody with setpriv';
  try {
    execFileSync(
      'setpriv',
      ['--reuid', '65534', '--regid', '65534', '--clear-groups', '--', process.execPath, '--import', tsx, '-e', `import(${src('sandbox/reaper.ts')})`],
      {
        stdio: 'pipe',
      },
    );
  } catch {
    return 'nobody cannot read this checkout';
  }
  return false;
}

// When vetta dies during the sandbox's set-up (the first tens of ms), bwrap's pid 1 outlived it.
const moments = ['0', '10', '20', '40', 'running'];

for (const [who, skip] of [
  ['as root, with a cgroup', typeof bwrap === 'string' ? bwrap : process.getuid?.() !== 0 ? 'needs root' : cgroupReason],
  ['as nobody, without a cgroup', typeof bwrap === 'string' ? bwrap : nobodyProblem()],
] as const) {
  describe(`a vetta killed with SIGKILL mid-run leaves nothing (${who})`, { skip: skip || false }, () => {
    for (const after of moments) {
      it(after === 'running' ? 'once the program runs' : `${after} ms after the run starts`, { timeout: 30_000 }, async () => {
        const left = await killedMidRun(after, who.startsWith('as nobody'));
        assert.deepEqual(left, { processes: [], cgroups: [] });
      });
    }
  });
}

import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import {
  CLONE_NAMESPACE_FLAGS,
  DENIED_SYSCALLS,
  dockerSeccompProfile,
  encodeProgram,
  evaluate,
  nsjailSeccompPolicy,
  SECCOMP_RET_ALLOW,
  SECCOMP_RET_ERRNO,
  SECCOMP_RET_KILL_PROCESS,
  seccompArch,
  seccompFilter,
  seccompProgram,
} from '../../src/sandbox/seccomp.ts';

const X86_64 = 0xc000003e;
const AARCH64 = 0xc00000b7;
const I386 = 0x40000003;
const EPERM = SECCOMP_RET_ERRNO | 1;
const ENOSYS = SECCOMP_RET_ERRNO | 38;

/** __NR_name numbers from a kernel unistd header, when the machine has one. */
function headerNumbers(path: string): Map<string, number> | null {
  if (!existsSync(path)) return null;
  const numbers = new Map<string, number>();
  for (const m of readFileSync(path, 'utf8').matchAll(/#define __NR(?:3264)?_(\w+)\s+(\d+)/g)) numbers.set(m[1]!, Number(m[2]));
  return numbers;
}

const tables = [
  { arch: 'x86_64' as const, audit: X86_64, header: '/usr/include/x86_64-linux-gnu/asm/unistd_64.h', getpid: 39, read: 0, clone: 56, clone3: 435 },
  { arch: 'aarch64' as const, audit: AARCH64, header: '/usr/include/asm-generic/unistd.h', getpid: 172, read: 63, clone: 220, clone3: 435 },
];

describe('seccomp filter', () => {
  for (const t of tables) {
    describe(t.arch, () => {
      const program = seccompProgram(t.arch);
      const numbers = headerNumbers(t.header);

      it("uses the kernel headers' numbers for every denied call", { skip: numbers ? false : `no ${t.header} here` }, () => {
        for (const name of DENIED_SYSCALLS) {
          const nr = numbers!.get(name);
          assert.ok(nr !== undefined, `${name} is in ${t.header}`);
          assert.equal(evaluate(program, { arch: t.audit, nr }), EPERM, `${name} (${nr}) is denied`);
        }
        assert.equal(numbers!.get('clone'), t.clone);
        assert.equal(numbers!.get('clone3'), t.clone3);
      });

      it('denies the list with EPERM and allows everything else', () => {
        assert.equal(evaluate(program, { arch: t.audit, nr: t.getpid }), SECCOMP_RET_ALLOW);
        assert.equal(evaluate(program, { arch: t.audit, nr: t.read }), SECCOMP_RET_ALLOW);
        const denied = DENIED_SYSCALLS.length;
        let eperm = 0;
        for (let nr = 0; nr < 500; nr++) if (evaluate(program, { arch: t.audit, nr }) === EPERM) eperm++;
        assert.equal(eperm, denied, 'exactly the listed calls are denied');
      });

      it('lets clone make threads and processes but not namespaces; clone3 falls back to clone', () => {
        const threadFlags = 0x003d0f00; // what glibc's pthread_create passes
        assert.equal(evaluate(program, { arch: t.audit, nr: t.clone, args: [threadFlags] }), SECCOMP_RET_ALLOW);
        assert.equal(evaluate(program, { arch: t.audit, nr: t.clone, args: [17] }), SECCOMP_RET_ALLOW, 'fork (SIGCHLD)');
        for (let bit = 0; bit < 32; bit++) {
          const flag = 2 ** bit;
          if ((flag & CLONE_NAMESPACE_FLAGS) === 0) continue;
          assert.equal(evaluate(program, { arch: t.audit, nr: t.clone, args: [17 + flag] }), EPERM, `flag 0x${flag.toString(16)}`);
        }
        assert.equal(evaluate(program, { arch: t.audit, nr: t.clone3 }), ENOSYS);
      });

      it("kills a call made through another architecture's entry point", () => {
        assert.equal(evaluate(program, { arch: I386, nr: 20 }), SECCOMP_RET_KILL_PROCESS);
        assert.equal(evaluate(program, { arch: t.audit === X86_64 ? AARCH64 : X86_64, nr: t.getpid }), SECCOMP_RET_KILL_PROCESS);
      });
    });
  }

  it('denies every x32-ABI call on x86_64 (their numbers would miss the list)', () => {
    const program = seccompProgram('x86_64');
    assert.equal(evaluate(program, { arch: X86_64, nr: 0x40000000 + 39 }), EPERM);
    assert.equal(evaluate(program, { arch: X86_64, nr: 0x40000000 + 101 }), EPERM);
  });

  it('encodes struct sock_filter: code (u16), jt, jf (u8), k (u32), little-endian', () => {
    const program = seccompProgram('x86_64');
    const bytes = encodeProgram(program);
    assert.equal(bytes.length, program.length * 8);
    // ld [4]: BPF_LD|BPF_W|BPF_ABS = 0x20, k = offsetof(seccomp_data, arch)
    assert.deepEqual([...bytes.subarray(0, 8)], [0x20, 0, 0, 0, 4, 0, 0, 0]);
    // jeq AUDIT_ARCH_X86_64, jt 0, jf -> kill
    assert.equal(bytes.readUInt16LE(8), 0x15);
    assert.equal(bytes.readUInt32LE(12), X86_64);
    assert.equal(program[1 + 1 + program[1]!.jf]!.k, SECCOMP_RET_KILL_PROCESS, 'the arch test jumps to the kill');
    assert.ok(program.length < 64, `${program.length} instructions`);
  });

  it('has a program for this machine when it is x86_64 or aarch64', () => {
    const arch = seccompArch();
    assert.equal(seccompFilter() === null, arch === null);
    assert.equal(seccompArch('ia32'), null);
  });

  it('gives Docker and nsjail the same list', () => {
    const profile = dockerSeccompProfile() as { defaultAction: string; syscalls: { names: string[]; errnoRet: number; args?: { value: number }[] }[] };
    assert.equal(profile.defaultAction, 'SCMP_ACT_ALLOW');
    assert.deepEqual(profile.syscalls[0]!.names, DENIED_SYSCALLS);
    assert.deepEqual(profile.syscalls[1], { names: ['clone3'], action: 'SCMP_ACT_ERRNO', errnoRet: 38 });
    const cloneFlags = profile.syscalls.filter((s) => s.names[0] === 'clone').reduce((m, s) => m | s.args![0]!.value, 0);
    assert.equal(cloneFlags, CLONE_NAMESPACE_FLAGS);
    const policy = nsjailSeccompPolicy('x86_64');
    assert.match(policy, /^POLICY vetta \{ ERRNO\(1\) \{ SYSCALL\[425\], /);
    const numbers = policy.match(/SYSCALL\[\d+\]/g)!.map((s) => Number(s.slice(8, -1)));
    // Kafel tests numbers one by one: every x32-ABI call of the kernel's table (548 today) is listed.
    const x32 = numbers.filter((nr) => nr >= 0x40000000);
    assert.equal(numbers.length - x32.length, DENIED_SYSCALLS.length + 1);
    assert.deepEqual(
      x32,
      Array.from({ length: 1024 }, (_, i) => 0x40000000 + i),
    );
    assert.ok(!/SYSCALL\[10737/.test(nsjailSeccompPolicy('aarch64')), 'no x32 on aarch64');
    assert.match(policy, /clone\(flags\) \{ \(flags & 2114060288\) != 0 \}/);
    assert.match(policy, /ERRNO\(38\) \{ SYSCALL\[435\] \} \} USE vetta DEFAULT ALLOW$/);
  });
});

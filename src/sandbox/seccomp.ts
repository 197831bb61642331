/**
 * The seccomp filter every sandboxed program runs under: a deny list of system calls a solution
 * never needs and an attacker wants (kernel surface, other processes, mounts, namespaces). It is
 * assembled here as classic BPF, the format bwrap's `--seccomp FD` loads, so the program is
 * readable and tested rather than a binary of unknown origin; Docker and nsjail get the same list
 * in their own formats.
 */

export type SeccompArch = 'x86_64' | 'aarch64';

/** Denied calls and their numbers (x86_64, aarch64); from the kernel's unistd headers. */
const DENIED: Record<string, readonly [number, number]> = {
  // Large, often-exploited kernel interfaces.
  io_uring_setup: [425, 425],
  io_uring_enter: [426, 426],
  io_uring_register: [427, 427],
  bpf: [321, 280],
  perf_event_open: [298, 241],
  userfaultfd: [323, 282],
  // Kernel keyrings are not namespaced.
  keyctl: [250, 219],
  add_key: [248, 217],
  request_key: [249, 218],
  // Looking into or steering another process (the sandbox's pid 1 is the launcher).
  ptrace: [101, 117],
  process_vm_readv: [310, 270],
  process_vm_writev: [311, 271],
  kcmp: [312, 272],
  // Changing the filesystem view.
  mount: [165, 40],
  umount2: [166, 39],
  pivot_root: [155, 41],
  chroot: [161, 51],
  open_tree: [428, 428],
  move_mount: [429, 429],
  fsopen: [430, 430],
  fsconfig: [431, 431],
  fsmount: [432, 432],
  fspick: [433, 433],
  mount_setattr: [442, 442],
  // Opening files by handle walks around the mount namespace (the "shocker" container escape).
  name_to_handle_at: [303, 264],
  open_by_handle_at: [304, 265],
  // New namespaces, where a process could become root again.
  unshare: [272, 97],
  setns: [308, 268],
  // Administration.
  kexec_load: [246, 104],
  kexec_file_load: [320, 294],
  init_module: [175, 105],
  finit_module: [313, 273],
  delete_module: [176, 106],
  reboot: [169, 142],
  swapon: [167, 224],
  swapoff: [168, 225],
  acct: [163, 89],
  syslog: [103, 116],
  quotactl: [179, 60],
  vhangup: [153, 58],
  lookup_dcookie: [212, 18],
};

export const DENIED_SYSCALLS: readonly string[] = Object.keys(DENIED);

/** clone() may not make namespaces: NEWNS|NEWCGROUP|NEWUTS|NEWIPC|NEWUSER|NEWPID|NEWNET. */
export const CLONE_NAMESPACE_FLAGS = 0x7e020000;
const CLONE: readonly [number, number] = [56, 220];
/** clone3 passes its flags in memory a filter cannot read: it gets ENOSYS, and the C library
 *  falls back to clone(), whose flags the filter checks. */
const CLONE3: readonly [number, number] = [435, 435];

const AUDIT_ARCH: Record<SeccompArch, number> = { x86_64: 0xc000003e, aarch64: 0xc00000b7 };
/** x86_64 also accepts x32-ABI calls, numbered from this bit; a solution has no use for them. */
const X32_SYSCALL_BIT = 0x40000000;

const EPERM = 1;
const ENOSYS = 38;

// Classic BPF opcodes (linux/bpf_common.h) and seccomp return values (linux/seccomp.h).
const BPF_LD_W_ABS = 0x00 | 0x00 | 0x20;
const BPF_JMP_JEQ_K = 0x05 | 0x10 | 0x00;
const BPF_JMP_JGE_K = 0x05 | 0x30 | 0x00;
const BPF_JMP_JSET_K = 0x05 | 0x40 | 0x00;
const BPF_RET_K = 0x06 | 0x00;
export const SECCOMP_RET_KILL_PROCESS = 0x80000000;
export const SECCOMP_RET_ERRNO = 0x00050000;
export const SECCOMP_RET_ALLOW = 0x7fff0000;
// Offsets in struct seccomp_data: nr, arch, instruction pointer, then six 64-bit arguments.
const DATA_NR = 0;
const DATA_ARCH = 4;
/** The low 32 bits of the first argument (both architectures are little-endian). */
const DATA_ARG0_LOW = 16;

export interface BpfInstruction {
  code: number;
  jt: number;
  jf: number;
  k: number;
}

/** This machine's architecture as the filter names it, or null where there is no table for it. */
export function seccompArch(arch: string = process.arch): SeccompArch | null {
  return arch === 'x64' ? 'x86_64' : arch === 'arm64' ? 'aarch64' : null;
}

/**
 * The filter as a list of instructions:
 *
 *     ld arch; jeq AUDIT_ARCH ? next : kill
 *     ld nr;   (x86_64) jge X32_SYSCALL_BIT ? deny
 *     jeq <each denied nr> ? deny
 *     jeq clone ? check_clone;  jeq clone3 ? enosys : allow
 *     check_clone: ld arg0; jset CLONE_NAMESPACE_FLAGS ? deny : allow
 *     allow: ret ALLOW
 *     deny: ret ERRNO(EPERM);  enosys: ret ERRNO(ENOSYS);  kill: ret KILL_PROCESS
 *
 * Jumps are relative and forward only, so the tails sit at the end and each test jumps to them.
 */
export function seccompProgram(arch: SeccompArch): BpfInstruction[] {
  const column = arch === 'x86_64' ? 0 : 1;
  const denied = Object.values(DENIED).map((nrs) => nrs[column]);
  // Each entry: an instruction whose true/false branches may name a tail by label.
  const body: Array<{ code: number; k: number; jt?: Label; jf?: Label }> = [];
  type Label = 'deny' | 'enosys' | 'kill' | 'check_clone' | 'allow';

  body.push({ code: BPF_LD_W_ABS, k: DATA_ARCH });
  body.push({ code: BPF_JMP_JEQ_K, k: AUDIT_ARCH[arch], jf: 'kill' });
  body.push({ code: BPF_LD_W_ABS, k: DATA_NR });
  if (arch === 'x86_64') body.push({ code: BPF_JMP_JGE_K, k: X32_SYSCALL_BIT, jt: 'deny' });
  for (const nr of denied) body.push({ code: BPF_JMP_JEQ_K, k: nr, jt: 'deny' });
  body.push({ code: BPF_JMP_JEQ_K, k: CLONE[column], jt: 'check_clone' });
  body.push({ code: BPF_JMP_JEQ_K, k: CLONE3[column], jt: 'enosys', jf: 'allow' });

  const tails: Array<[Label, Array<{ code: number; k: number; jt?: Label; jf?: Label }>]> = [
    [
      'check_clone',
      [
        { code: BPF_LD_W_ABS, k: DATA_ARG0_LOW },
        { code: BPF_JMP_JSET_K, k: CLONE_NAMESPACE_FLAGS, jt: 'deny', jf: 'allow' },
      ],
    ],
    ['allow', [{ code: BPF_RET_K, k: SECCOMP_RET_ALLOW }]],
    ['deny', [{ code: BPF_RET_K, k: SECCOMP_RET_ERRNO | EPERM }]],
    ['enosys', [{ code: BPF_RET_K, k: SECCOMP_RET_ERRNO | ENOSYS }]],
    ['kill', [{ code: BPF_RET_K, k: SECCOMP_RET_KILL_PROCESS }]],
  ];
  const all = [...body];
  const at = new Map<Label, number>();
  for (const [label, code] of tails) {
    at.set(label, all.length);
    all.push(...code);
  }
  return all.map((ins, pc) => {
    const offset = (label: Label | undefined): number => {
      if (label === undefined) return 0;
      const jump = at.get(label)! - pc - 1;
      if (jump < 0 || jump > 255) throw new Error(`seccomp: a jump of ${jump} does not fit classic BPF`);
      return jump;
    };
    return { code: ins.code, jt: offset(ins.jt), jf: offset(ins.jf), k: ins.k >>> 0 };
  });
}

/** The program as struct sock_filter[] in the machine's byte order (what bwrap reads). */
export function encodeProgram(program: BpfInstruction[]): Buffer {
  const buf = Buffer.alloc(program.length * 8);
  program.forEach((ins, i) => {
    buf.writeUInt16LE(ins.code, i * 8);
    buf.writeUInt8(ins.jt, i * 8 + 2);
    buf.writeUInt8(ins.jf, i * 8 + 3);
    buf.writeUInt32LE(ins.k, i * 8 + 4);
  });
  return buf;
}

/** What the filter returns for a call: a small interpreter of the program, for the tests and the docs. */
export function evaluate(program: BpfInstruction[], data: { arch: number; nr: number; args?: number[] }): number {
  let acc = 0;
  for (let pc = 0; pc < program.length; pc++) {
    const { code, jt, jf, k } = program[pc]!;
    switch (code) {
      case BPF_LD_W_ABS:
        acc = k === DATA_NR ? data.nr : k === DATA_ARCH ? data.arch : k === DATA_ARG0_LOW ? (data.args?.[0] ?? 0) >>> 0 : 0;
        break;
      case BPF_JMP_JEQ_K:
        pc += acc === k ? jt : jf;
        break;
      case BPF_JMP_JGE_K:
        pc += acc >>> 0 >= k ? jt : jf;
        break;
      case BPF_JMP_JSET_K:
        pc += (acc & k) !== 0 ? jt : jf;
        break;
      case BPF_RET_K:
        return k;
      default:
        throw new Error(`seccomp: unknown instruction ${code}`);
    }
  }
  throw new Error('seccomp: the program fell off its end');
}

/** The filter in bwrap's format, for this machine, or null where there is no table for it. */
export function seccompFilter(arch: string = process.arch): Buffer | null {
  const a = seccompArch(arch);
  return a ? encodeProgram(seccompProgram(a)) : null;
}

/** The same rules as a Docker seccomp profile (deny list over the default-allow action). */
export function dockerSeccompProfile(): object {
  const perFlag = [0x00020000, 0x02000000, 0x04000000, 0x08000000, 0x10000000, 0x20000000, 0x40000000];
  return {
    defaultAction: 'SCMP_ACT_ALLOW',
    syscalls: [
      { names: DENIED_SYSCALLS, action: 'SCMP_ACT_ERRNO', errnoRet: EPERM },
      { names: ['clone3'], action: 'SCMP_ACT_ERRNO', errnoRet: ENOSYS },
      // libseccomp compares (arg & mask) == value; one rule per namespace flag denies any of them.
      ...perFlag.map((flag) => ({
        names: ['clone'],
        action: 'SCMP_ACT_ERRNO',
        errnoRet: EPERM,
        args: [{ index: 0, value: flag, valueTwo: flag, op: 'SCMP_CMP_MASKED_EQ' }],
      })),
    ],
  };
}

/** How many x32-ABI numbers the kafel policy denies: the kernel's x32 table has 548 today, and a
 *  number past the table gets ENOSYS from the kernel itself. */
const X32_SYSCALLS = 1024;

/**
 * The same rules as an nsjail (kafel) policy; calls by number, so kafel's own table of names does
 * not matter. Kafel cannot test a range of numbers, so the x32-ABI calls are listed one by one;
 * it merges the run back into a single range test.
 */
export function nsjailSeccompPolicy(arch: SeccompArch): string {
  const column = arch === 'x86_64' ? 0 : 1;
  const x32 = arch === 'x86_64' ? Array.from({ length: X32_SYSCALLS }, (_, i) => X32_SYSCALL_BIT + i) : [];
  const numbers = [...Object.values(DENIED).map((nrs) => nrs[column]), ...x32].map((nr) => `SYSCALL[${nr}]`);
  const clone = `clone(flags) { (flags & ${CLONE_NAMESPACE_FLAGS}) != 0 }`;
  return `POLICY vetta { ERRNO(${EPERM}) { ${numbers.join(', ')}, ${clone} }, ERRNO(${ENOSYS}) { SYSCALL[${CLONE3[column]}] } } USE vetta DEFAULT ALLOW`;
}

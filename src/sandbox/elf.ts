import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * The shared libraries a program loads, found the way the dynamic loader finds them, so the
 * sandbox can show an interpreter its libraries and nothing else of /usr. Reads ELF headers
 * directly: `ldd` runs the loader once per file and costs seconds on Python's 50-odd modules.
 */

interface DynamicInfo {
  /** PT_INTERP: the loader this program asks for. */
  interpreter: string | null;
  needed: string[];
  runpath: string[];
}

const PT_LOAD = 1;
const PT_DYNAMIC = 2;
const PT_INTERP = 3;
const DT_NEEDED = 1n;
const DT_STRTAB = 5n;
const DT_RPATH = 15n;
const DT_RUNPATH = 29n;

/** Reads `length` bytes at `offset` of a file (fewer at its end). */
type ReadAt = (offset: number, length: number) => Buffer;

/** DT_NEEDED, RUNPATH and the loader of a 64-bit little-endian ELF file, or null for anything else.
 *  Reads only the headers and the dynamic section: Node's binary is 100 MB. */
export function readDynamicInfo(read: ReadAt): DynamicInfo | null {
  const header = read(0, 64);
  if (header.length < 64 || header.readUInt32BE(0) !== 0x7f454c46 || header[4] !== 2 || header[5] !== 1) return null;
  const phoff = Number(header.readBigUInt64LE(32));
  const phentsize = header.readUInt16LE(54);
  const phnum = header.readUInt16LE(56);
  const table = read(phoff, phentsize * phnum);
  const loads: Array<{ vaddr: bigint; offset: bigint; filesz: bigint }> = [];
  let dynamic: { offset: number; size: number } | null = null;
  let interpreter: string | null = null;
  for (let at = 0; at + 56 <= table.length; at += phentsize) {
    const type = table.readUInt32LE(at);
    const offset = table.readBigUInt64LE(at + 8);
    const vaddr = table.readBigUInt64LE(at + 16);
    const filesz = table.readBigUInt64LE(at + 32);
    if (type === PT_LOAD) loads.push({ vaddr, offset, filesz });
    else if (type === PT_DYNAMIC) dynamic = { offset: Number(offset), size: Number(filesz) };
    else if (type === PT_INTERP) interpreter = read(Number(offset), Number(filesz)).toString('latin1').replace(/\0.*$/s, '');
  }
  if (!dynamic) return { interpreter, needed: [], runpath: [] };
  const section = read(dynamic.offset, dynamic.size);
  const entries: Array<[bigint, bigint]> = [];
  for (let at = 0; at + 16 <= section.length; at += 16) {
    const tag = section.readBigInt64LE(at);
    if (tag === 0n) break;
    entries.push([tag, section.readBigUInt64LE(at + 8)]);
  }
  const strtabAddr = entries.find(([t]) => t === DT_STRTAB)?.[1];
  const load = strtabAddr === undefined ? undefined : loads.find((l) => strtabAddr >= l.vaddr && strtabAddr < l.vaddr + l.filesz);
  if (!load) return { interpreter, needed: [], runpath: [] };
  const strtab = Number(strtabAddr! - load.vaddr + load.offset);
  const str = (off: bigint) => {
    const bytes = read(strtab + Number(off), 4096);
    const end = bytes.indexOf(0);
    return bytes.toString('utf8', 0, end < 0 ? bytes.length : end);
  };
  return {
    interpreter,
    needed: entries.filter(([t]) => t === DT_NEEDED).map(([, v]) => str(v)),
    runpath: entries.filter(([t]) => t === DT_RUNPATH || t === DT_RPATH).flatMap(([, v]) => str(v).split(':')),
  };
}

function dynamicInfoOf(path: string): DynamicInfo | null {
  let fd: number;
  try {
    if (!statSync(path).isFile()) return null;
    fd = openSync(path, 'r');
  } catch {
    return null;
  }
  try {
    return readDynamicInfo((offset, length) => {
      const buf = Buffer.alloc(length);
      return buf.subarray(0, readSync(fd, buf, 0, length, offset));
    });
  } finally {
    closeSync(fd);
  }
}

/** Where the loader looks after a program's own RUNPATH (ld.so's default path and multiarch folders). */
export function defaultLibraryDirs(arch: string = process.arch): string[] {
  const triplet = arch === 'x64' ? 'x86_64-linux-gnu' : arch === 'arm64' ? 'aarch64-linux-gnu' : null;
  const multiarch = triplet ? [`/lib/${triplet}`, `/usr/lib/${triplet}`] : [];
  return [...multiarch, '/lib64', '/usr/lib64', '/lib', '/usr/lib', '/usr/local/lib'];
}

/**
 * Every file the loader opens to start these programs: their loaders and, transitively, the
 * libraries they need, each as the path the loader finds (a soname link is kept as the link's path).
 */
export function sharedLibraryClosure(programs: string[], dirs: string[] = defaultLibraryDirs()): string[] {
  const found = new Set<string>();
  const queue = [...programs];
  const seen = new Set<string>();
  while (queue.length > 0) {
    const path = queue.shift()!;
    if (seen.has(path)) continue;
    seen.add(path);
    const info = dynamicInfoOf(path);
    if (!info) continue;
    if (info.interpreter && !found.has(info.interpreter)) {
      found.add(info.interpreter);
      queue.push(info.interpreter);
    }
    const origin = dirname(path);
    const search = [...info.runpath.map((d) => d.replaceAll('$ORIGIN', origin).replaceAll(`$${'{ORIGIN}'}`, origin)), ...dirs];
    for (const name of info.needed) {
      const lib = name.includes('/') ? name : search.map((d) => join(d, name)).find((p) => existsSync(p));
      if (!lib || found.has(lib)) continue;
      found.add(lib);
      queue.push(lib);
    }
  }
  return [...found];
}

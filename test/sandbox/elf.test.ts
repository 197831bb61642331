import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, it } from 'node:test';
import { readDynamicInfo, sharedLibraryClosure } from '../../src/sandbox/elf.ts';
import { runtimeFor } from '../../src/sandbox/runtimes.ts';

const readOf = (file: Buffer) => (offset: number, length: number) => file.subarray(offset, offset + length);

describe('shared libraries from ELF headers', () => {
  it("finds the Node binary's loader and libc, as the loader would", () => {
    const libs = sharedLibraryClosure([realpathSync(process.execPath)]);
    assert.ok(
      libs.some((l) => /\/ld-linux[-\w.]*\.so\.\d$/.test(l)),
      libs.join(' '),
    );
    assert.ok(
      libs.some((l) => l.endsWith('/libc.so.6')),
      libs.join(' '),
    );
    for (const l of libs) assert.ok(statSync(l).isFile(), `${l} exists`);
  });

  it('reads DT_NEEDED of a library and ignores what is not a 64-bit ELF file', () => {
    const libc = sharedLibraryClosure([realpathSync(process.execPath)]).find((l) => l.endsWith('/libc.so.6'))!;
    const info = readDynamicInfo(readOf(readFileSync(libc)));
    assert.ok(
      info?.needed.some((n) => n.startsWith('ld-linux')),
      JSON.stringify(info),
    );
    assert.equal(readDynamicInfo(readOf(Buffer.from('#!/bin/sh\necho hi\n'))), null);
    assert.deepEqual(sharedLibraryClosure(['/nonexistent', '/etc/hostname']), []);
  });
});

describe('what each interpreter is shown', () => {
  for (const program of ['python', 'node'] as const) {
    it(`${program}: the interpreter, its libraries and the shell, never /usr whole or a node_modules folder`, () => {
      const { path, mounts } = runtimeFor(program);
      assert.ok(mounts.includes(path), `${path} in ${mounts.join(' ')}`);
      assert.ok(mounts.includes('/usr/bin/sh') || mounts.includes('/bin/sh'));
      assert.ok(!mounts.some((m) => ['/', '/usr', '/usr/lib', '/usr/local', '/lib', '/opt'].includes(m)), mounts.join(' '));
      for (const m of mounts) {
        if (statSync(m).isDirectory()) assert.doesNotMatch(m, /node_modules/, `${m} is a folder of packages`);
      }
    });
  }

  it('python: the libraries of its compiled modules, but not of those a run cannot use (curses, readline: no terminal; nis: no network)', () => {
    const { mounts } = runtimeFor('python');
    const names = mounts.map((m) => basename(m));
    assert.deepEqual(
      names.filter((n) => /^lib(ncursesw|panelw|readline|nsl|tirpc|krb5)\./.test(n)),
      [],
    );
    // Those of the others stay: ctypes (libffi), which the hostile tests use, sqlite3, ssl...
    const dynload = mounts.flatMap((m) => [m, join(m, 'lib-dynload')]).find((d) => d.endsWith('lib-dynload') && existsSync(d));
    const usable = dynload ? readdirSync(dynload).filter((f) => /^_(ctypes|sqlite3|ssl)\..*so$/.test(f)) : [];
    for (const lib of sharedLibraryClosure(usable.map((f) => join(dynload!, f)))) assert.ok(names.includes(basename(lib)), `${lib} is shown`);
  });
});

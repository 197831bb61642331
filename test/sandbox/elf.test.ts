import assert from 'node:assert/strict';
import { readFileSync, realpathSync, statSync } from 'node:fs';
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
});

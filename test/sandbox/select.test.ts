import assert from 'node:assert/strict';
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { selectSandbox } from '../../src/sandbox/select.ts';
import { tempDir } from '../helpers.ts';

describe('choosing a sandbox', () => {
  it('prefers nsjail when it is on PATH, then bubblewrap', () => {
    const bin = tempDir();
    writeFileSync(join(bin, 'nsjail'), '#!/bin/sh\nexit 0\n');
    chmodSync(join(bin, 'nsjail'), 0o755);
    assert.equal(selectSandbox('auto', { PATH: `${bin}:/usr/bin:/bin` }).name, 'nsjail');
    assert.equal(selectSandbox('auto', { PATH: '/usr/bin:/bin' }).name, 'bubblewrap');
  });

  it('gives unsafe only by name and says exactly why a named backend cannot run', () => {
    assert.equal(selectSandbox('unsafe').name, 'unsafe');
    assert.throws(() => selectSandbox('nsjail', { PATH: '/nonexistent' }), /sandbox nsjail cannot run here: nsjail is not installed/);
    assert.throws(() => selectSandbox('docker', { PATH: '/nonexistent' }), /sandbox docker cannot run here: docker is not installed/);
    assert.throws(() => selectSandbox('chroot'), /unknown sandbox "chroot"/);
  });
});

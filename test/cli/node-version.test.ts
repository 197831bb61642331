import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, it } from 'node:test';

const oldNode = ['/usr/bin/node', '/usr/local/bin/node'].find((p) => {
  if (!existsSync(p)) return false;
  const version = spawnSync(p, ['-p', 'process.versions.node'], { encoding: 'utf8' }).stdout.trim();
  const [major, minor] = version.split('.').map(Number);
  return major! < 22 || (major === 22 && minor! < 13);
});

describe('an older Node', { skip: oldNode ? false : 'no Node older than 22.13 on this machine to try' }, () => {
  it('gets one clear line saying what to install, and exit 2', () => {
    const r = spawnSync(oldNode!, [resolve('bin/vetta.js'), 'problems', 'list'], { encoding: 'utf8' });
    assert.equal(r.status, 2);
    assert.match(r.stderr, /^vetta: needs Node\.js 22\.13 or newer, and this is \d+\.\d+\.\d+; install Node 22/);
    assert.equal(r.stderr.trim().split('\n').length, 1);
    assert.equal(r.stdout, '');
  });
});

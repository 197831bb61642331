import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { tempDir } from './helpers.ts';

const npm = (args: string[], cwd: string) =>
  execFileSync('npm', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, npm_config_update_notifier: 'false' } });

describe('the published package', () => {
  it('installs from its tarball on a clean folder and works with npx', { timeout: 240_000 }, () => {
    const packDir = tempDir('vetta-pack-');
    // The build `npm test` ran first is what goes in: prepack would build dist/ again in place,
    // pulling it from under the tests that run the binary beside this one.
    assert.ok(existsSync(join(process.cwd(), 'dist', 'cli', 'main.js')), 'built (npm run build)');
    npm(['pack', '--silent', '--ignore-scripts', '--pack-destination', packDir], process.cwd());
    const tarball = readdirSync(packDir).find((f) => f.endsWith('.tgz'));
    assert.ok(tarball, 'npm pack wrote a tarball');
    // Exactly what a user types, from an empty folder: npx installs the package and its whole
    // dependency tree once, as `npm install` would, and later calls reuse that install.
    const empty = tempDir('vetta-npx-');
    const vetta = (args: string[]) => npm(['exec', '--yes', '--package', join(packDir, tarball), '--', 'vetta', ...args], empty);
    assert.match(vetta(['--help']), /Usage: vetta/);
    const list = JSON.parse(vetta(['problems', 'list', '--json'])) as { id: string; origin: string; dir: string }[];
    assert.ok(list.length > 0 && list.every((p) => p.origin === 'builtin'));
    // The installed package's own reference solution, judged by the installed package.
    const first = list[0]!;
    assert.ok(!first.dir.startsWith(process.cwd()), `the problems come from the installed package (${first.dir})`);
    const verdict = JSON.parse(vetta(['run', first.id, join(first.dir, 'solution.py'), '--json'])) as { verdict: string };
    assert.equal(verdict.verdict, 'accepted');
  });
});

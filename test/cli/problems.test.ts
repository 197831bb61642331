import assert from 'node:assert/strict';
import { readdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, it } from 'node:test';
import { largestProblem, runCli, tempDir, writeTree } from '../helpers.ts';

/** `largest` renamed, so several copies can sit in one folder. */
function copyOfLargest(id: string, overrides: Parameters<typeof largestProblem>[0] = {}): Record<string, string> {
  return Object.fromEntries(
    Object.entries(largestProblem(overrides)).map(([path, text]) => [
      path.replace(/^largest\//, `${id}/`),
      path.endsWith('problem.md') ? text.replace('id: largest', `id: ${id}`) : text,
    ]),
  );
}

describe('problems validate at scale', () => {
  it('reports a test value whose type does not match the signature', async () => {
    const dir = tempDir();
    writeTree(
      dir,
      copyOfLargest('typed', {
        tests: [
          { name: 'example', args: { nums: '3,1,4' }, expected: 4 },
          { name: 'ok', args: { nums: [1] }, expected: 1 },
        ],
      }),
    );
    const { code, stdout } = await runCli(['problems', 'validate', dir]);
    assert.equal(code, 1);
    assert.match(stdout, /✗ tests\.json: values that do not match the signature: example args\.nums: expected int\[\], got a string "3,1,4"/);
  });

  it('says "missing" for a missing field and gives the line of a YAML error', async () => {
    const dir = tempDir();
    const noTitle = copyOfLargest('no-title');
    noTitle['no-title/problem.md'] = noTitle['no-title/problem.md']!.replace('title: Largest\n', '');
    const badYaml = copyOfLargest('bad-yaml');
    badYaml['bad-yaml/problem.md'] = badYaml['bad-yaml/problem.md']!.replace('tags: [array]', 'tags: [array');
    writeTree(dir, { ...noTitle, ...badYaml });
    const { stdout } = await runCli(['problems', 'validate', dir]);
    assert.match(stdout, /no-title\/problem\.md: title: missing\n/);
    // Line 5 of problem.md (after "---", id, title, difficulty) holds the unclosed "["; the parser notices it a line later.
    assert.match(stdout, /bad-yaml\/problem\.md: line 5: Flow sequence/);
  });

  it('validates problems side by side, with every result reported and counted', async () => {
    const dir = tempDir();
    const ids = ['p1', 'p2', 'p3', 'p4', 'p5'];
    writeTree(dir, Object.assign({}, ...ids.map((id) => copyOfLargest(id))));
    writeFileSync(join(dir, 'p3', 'solution.py'), 'class Solution:\n    def largest(self, nums):\n        return nums[0]\n');
    const { code, stdout } = await runCli(['problems', 'validate', dir, '--jobs', '2']);
    assert.equal(code, 1);
    for (const id of ids) assert.match(stdout, new RegExp(`(ok  |FAIL) \\[\\d/5\\] ${id}\\n`));
    assert.match(stdout, /1 of 5 problems failed: p3\n/);
    const json = JSON.parse((await runCli(['problems', 'validate', dir, '--json', '--jobs', '2'])).stdout);
    assert.deepEqual(
      json.problems.map((p: { id: string; ok: boolean }) => [p.id, p.ok]),
      ids.map((id) => [id, id !== 'p3']),
    );
    assert.equal((await runCli(['problems', 'validate', dir, '--jobs', '0'])).code, 2);
  });
});

describe('problems list at scale', () => {
  it('lists problems from its index, and sees an edited problem at once', async () => {
    const dir = tempDir();
    const cache = tempDir();
    writeTree(dir, Object.assign({}, ...['a1', 'a2'].map((id) => copyOfLargest(id))));
    const env = { XDG_CACHE_HOME: cache };
    const first = await runCli(['--problems', dir, 'problems', 'list', '--json'], env);
    assert.deepEqual(
      JSON.parse(first.stdout)
        .filter((p: { origin: string }) => p.origin === 'user')
        .map((p: { title: string }) => p.title),
      ['Largest', 'Largest'],
    );
    // The summaries, and apart from them the rest of each front matter, which a list never reads.
    const files = readdirSync(join(cache, 'vetta', 'problem-index')).filter((f) => f.startsWith(basename(dir)));
    assert.deepEqual(files.map((f) => f.replace(/^.*?(\.details)?\.json$/, '$1')).sort(), ['', '.details']);
    writeTree(dir, { 'a2/problem.md': copyOfLargest('a2')['a2/problem.md']!.replace('title: Largest', 'title: Largest Again') });
    const second = await runCli(['--problems', dir, 'problems', 'list', '--json'], env);
    assert.deepEqual(
      JSON.parse(second.stdout)
        .filter((p: { origin: string }) => p.origin === 'user')
        .map((p: { title: string }) => p.title),
      ['Largest', 'Largest Again'],
    );
    const shown = await runCli(['--problems', dir, 'problems', 'show', 'a2'], env);
    assert.match(shown.stdout, /Return the largest element of nums\./);
  });
});

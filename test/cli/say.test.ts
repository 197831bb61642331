import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, it } from 'node:test';
import { runCli } from '../helpers.ts';

describe('vetta say', () => {
  it('prints the chunks a voice would speak, one JSON line each, with --chunks', async () => {
    const { code, stdout } = await runCli(['say', '--tts', 'none', '--chunks', 'Good start. It runs in O(n log n). What about **empty** input?']);
    assert.equal(code, 0);
    assert.deepEqual(stdout.trim().split('\n').map((l) => JSON.parse(l)), [{ text: 'Good start.' }, { text: 'It runs in O(n log n).' }, { text: 'What about empty input?' }]);
  });

  it('reads stdin when no text is given', async () => {
    const { stdout } = await runCli(['say', '--tts', 'none'], {}, 'One. Two.\n- a list item\n');
    assert.equal(stdout, 'One.\nTwo.\na list item\n');
  });

  it('emits a chunk while stdin is still open, as soon as the sentence is complete', async () => {
    const child = spawn(process.execPath, [resolve('bin/vetta.js'), 'say', '--tts', 'none', '--chunks'], { stdio: ['pipe', 'pipe', 'inherit'] });
    const firstLine = new Promise<string>((done) => child.stdout.once('data', (d) => done(String(d))));
    child.stdin.write('The first sentence is done. The second one');
    assert.equal(await firstLine, '{"text":"The first sentence is done."}\n');
    child.stdin.end(' ends later.');
    const rest = await new Promise<string>((done) => {
      let text = '';
      child.stdout.on('data', (d) => (text += d));
      child.on('close', () => done(text));
    });
    assert.equal(rest, '{"text":"The second one ends later."}\n');
  });

  it('offers only the voices that work', async () => {
    const { code, stderr } = await runCli(['say', '--tts', 'elevenlabs', 'hi']);
    assert.equal(code, 2);
    assert.match(stderr, /Allowed choices are espeak, none/);
  });
});

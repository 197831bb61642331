import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { initialState } from '../../src/interview/state.ts';
import type { Brain } from '../../src/interview/brain.ts';
import { audioFileFor, Recorder, RecordingBrain } from '../../src/replay/recorder.ts';
import { parseRecording, readRecording, RECORDING_VERSION } from '../../src/replay/recording.ts';
import { scrubber, secretValues } from '../../src/core/secrets.ts';
import type { RecordingHeader } from '../../src/replay/recording.ts';
import { tempDir } from '../helpers.ts';

const header: RecordingHeader = {
  format: 'vetta-recording',
  version: RECORDING_VERSION,
  vettaVersion: '0.0.0-test',
  sessionId: 's1',
  problem: { id: 'two-sum', contentHash: 'abc' },
  language: 'python',
  brain: { name: 'echo' },
  startedAt: new Date(0).toISOString(),
  clock: { kind: 'virtual', startMs: 0 },
};
const context = {
  problem: { id: 'two-sum', title: 'Two Sum', statement: 's', difficulty: 'easy' },
  state: initialState({ sessionId: 's1', problemId: 'two-sum', language: 'python', atMs: 0 }),
};

describe('Recorder', () => {
  it('keeps secrets from the environment, the config file and key-shaped strings out of the file', async () => {
    const env = { GEMINI_API_KEY: 'planted-gemini-"quoted"-value', HOME: '/home/someone', DEEPGRAM_API_KEY: 'planted-deepgram-value' };
    const config = { elevenlabs: { apiKey: 'planted-elevenlabs-value' }, store: 'redis://localhost' };
    const file = join(tempDir(), 'r.jsonl');
    let clock = 0;
    const recorder = Recorder.create(file, header, { now: () => clock, scrub: scrubber(secretValues(env, config)) });
    clock = 5;
    recorder.event({ type: 'candidate_said', text: `my keys are ${env.GEMINI_API_KEY} and planted-elevenlabs-value`, atMs: 5 });
    recorder.event({ type: 'code_saved', code: `KEY = "${env.DEEPGRAM_API_KEY}"  # AIzaSyA0123456789abcdefghijklmnopqrstuvw`, atMs: 5 });
    const echo: Brain = {
      name: 'echo',
      async *stream() {
        yield { type: 'text-delta', text: 'sk-abcdefghijklmnopqrstuvwxyz0123 is what you pasted' };
        yield { type: 'finish' };
      },
    };
    for await (const part of new RecordingBrain(echo, recorder).stream({ kind: 'introduce' }, context)) assert.ok(part);
    recorder.close();
    const text = readFileSync(file, 'utf8');
    for (const secret of ['planted-gemini', 'planted-deepgram-value', 'planted-elevenlabs-value', 'AIzaSyA0123456789', 'sk-abcdefghijklmnop'])
      assert.ok(!text.includes(secret), `${secret} is in the recording`);
    assert.ok(text.includes('/home/someone') === false && text.includes('my keys are [redacted] and [redacted]'));
    const recording = readRecording(file);
    assert.deepEqual(
      recording.lines.map((l) => [l.type, l.clock]),
      [
        ['event', 5],
        ['event', 5],
        ['llm_request', 5],
        ['llm_response', 5],
      ],
    );
  });

  it('writes each line as it happens, so a process killed mid-interview leaves a readable recording', () => {
    const file = join(tempDir(), 'killed.jsonl');
    const child = `
      import { Recorder } from ${JSON.stringify(new URL('../../src/replay/recorder.ts', import.meta.url).pathname)};
      const r = Recorder.create(${JSON.stringify(file)}, ${JSON.stringify(header)}, { now: () => 0, scrub: (t) => t });
      r.action({ kind: 'say', text: 'first' });
      r.event({ type: 'candidate_said', text: 'first', atMs: 0 });
      process.kill(process.pid, 'SIGKILL');`;
    const result = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', child], { encoding: 'utf8' });
    assert.equal(result.signal, 'SIGKILL', result.stderr);
    const recording = readRecording(file);
    assert.deepEqual(
      recording.lines.map((l) => l.type),
      ['action', 'event'],
    );
    // A line cut short by the crash is left out, and said so; a damaged line before it is an error.
    const cut = parseRecording(`${readFileSync(file, 'utf8')}{"t":1,"clock":0,"type":"ev`, file);
    assert.equal(cut.truncated, true);
    assert.equal(cut.lines.length, 2);
  });

  it('records an edit in the editor with the code it produced, ahead of what happened while it was open', async () => {
    const file = join(tempDir(), 'edit.jsonl');
    const recorder = Recorder.create(file, header, { now: () => 0, scrub: (t) => t });
    const solution = join(tempDir(), 'solution.py');
    recorder.action({ kind: 'edit' });
    recorder.event({ type: 'editor_opened', atMs: 0 });
    const editor = recorder.watchEditor(async (path) => {
      const { writeFileSync } = await import('node:fs');
      writeFileSync(path, 'print(1)\n');
      return { status: 0 };
    });
    await editor(solution);
    recorder.action({ kind: 'edit' });
    await recorder.watchEditor(async () => ({ status: 1 }))(solution);
    recorder.close();
    const lines = readRecording(file).lines;
    assert.deepEqual(
      lines.map((l) => (l.type === 'action' ? l.action : l.type)),
      [{ kind: 'edit', via: 'editor', code: 'print(1)\n' }, 'event', { kind: 'edit', via: 'editor', code: null }],
    );
  });

  it('appends the candidate audio as 16 kHz mono s16le to the sibling file, with where each piece starts', () => {
    const file = join(tempDir(), 'voice.jsonl');
    const recorder = Recorder.create(
      file,
      { ...header, audio: { file: 'voice.audio.pcm', encoding: 'pcm_s16le', sampleRateHz: 16000, channels: 1 } },
      { now: () => 0, scrub: (t) => t },
    );
    recorder.audio(Int16Array.from([1, -1, 32767]));
    recorder.audio(Int16Array.from([-32768]));
    recorder.close();
    const pcm = readFileSync(audioFileFor(file));
    assert.deepEqual([...new Int16Array(pcm.buffer, pcm.byteOffset, pcm.length / 2)], [1, -1, 32767, -32768]);
    assert.deepEqual(
      readRecording(file).lines.map((l) => (l.type === 'audio' ? [l.offsetBytes, l.bytes] : null)),
      [
        [0, 6],
        [6, 2],
      ],
    );
  });
});

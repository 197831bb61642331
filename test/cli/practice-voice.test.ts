import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { packageRoot } from '../../src/core/paths.ts';
import { findOnPath } from '../../src/core/find-on-path.ts';
import { materialUnavailable, recordedClip, silence, concat } from '../audio/material.ts';
import { audibleSeconds, pulseUnavailable, startPulse } from '../audio/pulse.ts';
import type { Pulse } from '../audio/pulse.ts';
import { tempDir } from '../helpers.ts';
import { TmuxTerminals } from './tmux.ts';

/**
 * A spoken interview end to end on real audio devices (PulseAudio null sinks): the real binary in a
 * terminal, the offline voice speaking into one sink, a recorded human voice played into the virtual
 * microphone, the offline recognizer understanding it.
 */

const tmux = findOnPath('tmux');
const skip =
  pulseUnavailable() ||
  materialUnavailable() ||
  (!tmux && 'tmux is not installed') ||
  (!findOnPath('pocketsphinx_continuous') && 'pocketsphinx is not installed (apt-get install pocketsphinx pocketsphinx-en-us)') ||
  (!findOnPath('espeak-ng') && 'espeak-ng is not installed');

const terminals = new TmuxTerminals(tmux ?? 'tmux');
const waitFor = (pattern: RegExp, what: string, timeoutMs = 60_000) => terminals.waitFor('voice', pattern, what, timeoutMs);

describe('vetta practice by voice', { skip }, () => {
  let pulse: Pulse;
  before(async () => {
    pulse = await startPulse();
  });
  after(() => {
    terminals.close();
    pulse?.close();
  });

  it('speaks, hears the candidate, lets itself be interrupted and keeps what was heard and how fast', { timeout: 180_000 }, async () => {
    const home = tempDir('vetta-voice-');
    const env = { ...pulse.env, XDG_DATA_HOME: join(home, 'data'), XDG_CONFIG_HOME: join(home, 'config'), TERM: 'xterm-256color', NO_COLOR: '1' };
    const bin = join(packageRoot(), 'bin', 'vetta.js');
    const recording = join(home, 'spoken.jsonl');
    const args = [
      'practice',
      '--problem',
      'valid-anagram',
      '--voice',
      '--tts',
      'espeak',
      '--stt',
      'pocketsphinx',
      '--input-device',
      pulse.microphone,
      '--output-device',
      pulse.sink,
      '--record',
      recording,
    ];
    const command = `env ${Object.entries(env)
      .map(([k, v]) => `'${k}=${v}'`)
      .join(' ')} ${process.execPath} ${bin} ${args.join(' ')}; echo "[exit $?]"; sleep 600`;
    const monitor = pulse.record();
    await monitor.ready;
    terminals.open('voice', 100, 30, command);
    await waitFor(/it listens: pocketsphinx/, 'the voice set-up note');
    await waitFor(/Today's problem is Valid Anagram/, 'the introduction');
    // The introduction takes several seconds to say: talk over it.
    await new Promise((r) => setTimeout(r, 2500));
    const clip = recordedClip('goforward.raw');
    await pulse.speak(concat(clip.samples, silence(1500)));
    // Recognition is not perfect ("go for ten meters" happens): the words are the speaker's, roughly.
    await waitFor(/you: go\w* [a-z ]*meters/, 'the recognized words');
    await waitFor(/you: go\w* [a-z ]*meters interviewer: \S+/, 'the reply');
    terminals.keys('voice', 'C-q');
    await waitFor(/End the interview now\?/, 'the quit question');
    terminals.keys('voice', 'y');
    await waitFor(/\[exit 0\]/, 'vetta to exit', 90_000);
    const heard = await monitor.stop();
    assert.ok(audibleSeconds(heard) > 1, `the interviewer was heard at the speaker (${audibleSeconds(heard)} s)`);

    const list = JSON.parse(execFileSync(process.execPath, [bin, 'sessions', 'list', '--json'], { encoding: 'utf8', env })) as { id: string }[];
    const shown = execFileSync(process.execPath, [bin, 'sessions', 'show', list[0]!.id], { encoding: 'utf8', env });
    // Cut off mid-introduction: what had been heard is kept, short of the whole turn.
    const cut = /\[interrupted after: "(Today's problem is[^"]*)"\]/.exec(shown);
    assert.ok(cut, shown);
    assert.ok(!cut[1]!.includes('ask me anything that is unclear'), `only part of the introduction was heard: ${cut[1]}`);
    assert.match(shown, /\[voice: duck \d+ ms, silence \d+ ms\]/);
    assert.match(shown, /\[voice: voice-to-voice \d+ ms/);
    assert.match(shown, /voice-to-voice +median \d+ ms/);

    // The recording keeps the spoken side: what was recognized, the interruption, the audio itself.
    const entries = readFileSync(recording, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { type: string; final?: boolean; text?: string; bytes?: number });
    assert.ok(
      entries.some((e) => e.type === 'transcript' && e.final && /meters/.test(e.text ?? '')),
      'the final transcript is recorded',
    );
    assert.ok(
      entries.some((e) => e.type === 'interruption'),
      'the interruption is recorded',
    );
    assert.ok(
      entries.some((e) => e.type === 'spoken_chunk' && /^Today's problem is Valid Anagram\./.test(e.text ?? '')),
      'the chunks that were spoken are recorded',
    );
    // The introduction began to sound, then was cut off by the candidate.
    const playback = (entries.filter((e) => e.type === 'playback') as unknown as { state: string; reason?: string }[]).map((e) => [e.state, e.reason ?? null]);
    assert.deepEqual(playback.slice(0, 2), [
      ['started', null],
      ['stopped', 'interrupted'],
    ]);
    // The reply began to sound only after the candidate had finished: after their final transcript.
    const timed = entries as unknown as { type: string; t: number; final?: boolean; state?: string }[];
    const finished = timed.findIndex((e) => e.type === 'transcript' && e.final);
    const reply = timed.findIndex((e, i) => i > finished && e.type === 'playback' && e.state === 'started');
    assert.ok(finished >= 0 && reply > finished && timed[reply]!.t >= timed[finished]!.t, 'the reply starts after the candidate stops');
    const audioBytes = entries.filter((e) => e.type === 'audio').reduce((n, e) => n + e.bytes!, 0);
    assert.equal(statSync(recording.replace(/\.jsonl$/, '.audio.pcm')).size, audioBytes);
    assert.ok(audioBytes > 16_000 * 2 * 2, `at least the spoken clip's seconds of audio (${audioBytes} bytes)`);

    // A spoken interview replays like a typed one; --from-audio hears the candidate again from the audio.
    const check = spawnSync(process.execPath, [bin, 'replay', recording, '--check'], { encoding: 'utf8', env });
    assert.equal(check.status, 0, check.stdout + check.stderr);
    assert.match(check.stdout, /^OK /);
    const again = spawnSync(process.execPath, [bin, 'replay', recording, '--check', '--from-audio', '--stt', 'pocketsphinx', '--json'], {
      encoding: 'utf8',
      env,
    });
    const result = JSON.parse(again.stdout) as { ok: boolean; divergences: { where: string; diff: string[] }[] };
    // Heard again from a window of the raw audio, the words may come out a little differently from
    // the live stream's: then that is reported word for word, as a divergence.
    if (!result.ok) {
      const words = result.divergences.find((d) => /heard again/.test(d.where));
      assert.ok(words, JSON.stringify(result.divergences));
      assert.match(words.diff.join('\n'), /^\+ .*meters/m);
    }
    const none = spawnSync(
      process.execPath,
      [bin, 'replay', join(packageRoot(), 'test', 'fixtures', 'recordings', 'scripted-stock.jsonl'), '--check', '--from-audio', '--stt', 'pocketsphinx'],
      { encoding: 'utf8', env },
    );
    assert.equal(none.status, 1);
    assert.match(none.stdout, /has no recorded audio .*: it was not a spoken interview; check it without --from-audio/);
  });
});

describe('a microphone lost mid-interview', () => {
  it('says so in one line, and the interview goes on typed with nothing lost', async () => {
    const { PracticeSession } = await import('../../src/cli/practice-session.ts');
    const { converse } = await import('../../src/cli/practice-voice.ts');
    const { loadVad } = await import('../../src/audio/vad.ts');
    const { VettaError } = await import('../../src/core/errors.ts');
    const { EchoCanceller } = await import('../../src/pipeline/echo.ts');
    const { ProblemSet, loadTests } = await import('../../src/problems/load.ts');
    const { ScriptedBrain } = await import('../../src/interview/scripted-brain.ts');
    const { UnsafeSandbox } = await import('../../src/sandbox/unsafe.ts');
    const problem = new ProblemSet({ env: {} }).get('valid-anagram');
    const session = new PracticeSession({
      problem,
      tests: loadTests(problem),
      language: 'python',
      brain: new ScriptedBrain(),
      sandbox: new UnsafeSandbox(),
      sessionId: 's',
      now: () => 0,
      solutionFile: join(tempDir(), 'solution.py'),
      runEditor: async () => ({ status: 1 }),
    });
    await session.start();
    // A microphone that delivers a little audio, then is unplugged.
    const microphone = {
      async *frames() {
        yield new Int16Array(512);
        throw new VettaError('io', 'the microphone stopped (parec: Connection terminated)');
      },
    } as unknown as Parameters<typeof converse>[1]['microphone'];
    const notices: string[] = [];
    await converse(
      session,
      { microphone, detector: await loadVad(), recognizer: null },
      { output: null, echo: new EchoCanceller(), note: null, firstSound: Promise.resolve(), recorder: null, close: async () => {} },
      {},
      (m) => notices.push(m),
      new AbortController().signal,
    );
    assert.deepEqual(notices, ['the microphone stopped (parec: Connection terminated); the interview goes on typed']);
    await session.perform({ kind: 'say', text: 'Can the strings be empty?' });
    const said = session.interview.state.conversation.map((t) => t.role);
    assert.deepEqual(said, ['interviewer', 'candidate', 'interviewer'], 'the introduction is kept and the typed question answered');
  });
});

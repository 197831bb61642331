import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, it } from 'node:test';
import { VettaError } from '../../src/core/errors.ts';
import { ProviderError } from '../../src/providers/errors.ts';
import { PocketsphinxStt } from '../../src/providers/pocketsphinx/stt.ts';
import { END_OF_SPEECH } from '../../src/providers/spec.ts';
import { findOnPath } from '../../src/core/find-on-path.ts';
import type { RecognizerInput, TranscriptEvent } from '../../src/providers/spec.ts';
import { tempDir } from '../helpers.ts';
import { concat, materialUnavailable, silence } from '../audio/material.ts';
import { transcribedClips, wordErrorRate } from './transcribed-clips.ts';

const recognizer = PocketsphinxStt.detect();
const unavailable = typeof recognizer === 'string' ? recognizer : materialUnavailable();
if (unavailable) console.log(`pocketsphinx tests skipped: ${unavailable}`);
const stt = recognizer as PocketsphinxStt;

const FRAME = 320;
const ms = (samples: number) => (samples * 1000) / 16_000;

/** 20 ms frames, as a microphone delivers them, giving the event loop a turn now and then. */
async function* frames(audio: Int16Array): AsyncGenerator<RecognizerInput> {
  for (let at = 0; at < audio.length; at += FRAME) {
    yield audio.subarray(at, at + FRAME);
    if ((at / FRAME) % 25 === 24) await sleep(0);
  }
}

async function collect(events: AsyncIterable<TranscriptEvent>): Promise<TranscriptEvent[]> {
  const seen: TranscriptEvent[] = [];
  for await (const event of events) seen.push(event);
  return seen;
}

type Final = Extract<TranscriptEvent, { type: 'transcript-final' }>;
const finals = (events: TranscriptEvent[]) => events.filter((e): e is Final => e.type === 'transcript-final');

/** Pocketsphinx processes started by this test process (through the shell that feeds them). */
function ourRecognizerProcesses(): string[] {
  const read = (pid: string, file: string) => {
    try {
      return readFileSync(`/proc/${pid}/${file}`, 'utf8');
    } catch {
      return '';
    }
  };
  const parentOf = (pid: string) =>
    read(pid, 'stat')
      .replace(/^.*\) /, '')
      .split(' ')[1] ?? '0';
  const ours = (pid: string) => {
    for (let p = pid, depth = 0; p !== '0' && p !== '1' && p !== '' && depth < 5; p = parentOf(p), depth++) if (p === String(process.pid)) return true;
    return false;
  };
  return readdirSync('/proc').filter((pid) => /^\d+$/.test(pid) && read(pid, 'cmdline').split('\0')[0]!.endsWith('/pocketsphinx_continuous') && ours(pid));
}

/** Gone, or a zombie waiting to be reaped: no longer running either way. */
function running(pid: string): boolean {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /, '')[0] !== 'Z';
  } catch {
    return false;
  }
}

async function until(condition: () => boolean, what: string): Promise<void> {
  for (let waited = 0; !condition(); waited += 20) {
    if (waited > 20_000) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

describe('pocketsphinx: offline speech-to-text on recorded speech', { skip: unavailable, timeout: 120_000 }, () => {
  const clips = unavailable ? [] : transcribedClips();
  const goForward = () => clips.find((c) => c.name === 'goforward.raw')!;

  it('hears "go forward ten meters" word for word, as one final utterance at the right place in the audio', async () => {
    const clip = goForward();
    const events = await collect(stt.transcribe(frames(clip.samples)));
    assert.deepEqual(
      events.map((e) => e.type),
      ['transcript-final'],
    );
    const [final] = finals(events);
    assert.equal(final!.text, 'go forward ten meters');
    assert.equal(final!.speechFinal, true);
    assert.ok(Math.abs(final!.startMs - ms(clip.onsetSample)) <= 300, `starts at ${final!.startMs} ms; speech begins at ${ms(clip.onsetSample)} ms`);
    assert.ok(Math.abs(final!.endMs - ms(clip.endSample)) <= 400, `ends at ${final!.endMs} ms; speech ends at ${ms(clip.endSample)} ms`);
  });

  it('keeps the word error rate on eleven recorded clips (read English, card names) under 50%', async () => {
    let errors = 0;
    let words = 0;
    const report: string[] = [];
    for (const clip of clips) {
      const heard = finals(await collect(stt.transcribe(frames(clip.samples))))
        .map((f) => f.text)
        .join(' ');
      const rate = wordErrorRate(clip.transcript, heard);
      errors += rate.errors;
      words += rate.words;
      report.push(`${clip.name}: ${rate.errors}/${rate.words} "${heard}"`);
    }
    assert.equal(clips.length, 11);
    assert.ok(errors / words < 0.5, `WER ${((100 * errors) / words).toFixed(1)}%:\n${report.join('\n')}`);
  });

  it('finds each utterance of a longer stream at its own time, with the pauses between', async () => {
    const clip = goForward();
    const secondAt = clip.samples.length + silence(2000).length;
    const events = await collect(stt.transcribe(frames(concat(clip.samples, silence(2000), clip.samples, silence(1000)))));
    const heard = finals(events);
    assert.deepEqual(
      heard.map((f) => f.text),
      ['go forward ten meters', 'go forward ten meters'],
    );
    assert.ok(heard[0]!.endMs < ms(clip.samples.length), 'the first ends within the first clip');
    assert.ok(
      Math.abs(heard[1]!.startMs - ms(secondAt + clip.onsetSample)) <= 300,
      `second starts at ${heard[1]!.startMs} ms; its speech begins at ${ms(secondAt + clip.onsetSample)} ms`,
    );
  });

  it('finalises at END_OF_SPEECH without waiting for more audio, then carries on with what follows', async () => {
    const clip = goForward();
    // The speech only, cut where it ends: pocketsphinx has not heard the pause that would end it.
    const speech = clip.samples.subarray(0, clip.endSample);
    let releaseRest!: () => void;
    const restSent = new Promise<void>((resolve) => (releaseRest = resolve));
    async function* input(): AsyncGenerator<RecognizerInput> {
      yield* frames(speech);
      yield END_OF_SPEECH;
      await restSent;
      yield* frames(clip.samples);
    }
    const events: TranscriptEvent[] = [];
    for await (const event of stt.transcribe(input())) {
      events.push(event);
      if (event.type === 'utterance-end') releaseRest();
    }
    assert.deepEqual(
      events.map((e) => e.type),
      ['transcript-final', 'utterance-end', 'transcript-final'],
    );
    const [first, second] = finals(events);
    assert.equal(first!.text, 'go forward ten meters');
    assert.equal((events[1] as { atMs: number }).atMs, ms(speech.length));
    // The audio after END_OF_SPEECH is timed from the start of the whole stream.
    assert.equal(second!.text, 'go forward ten meters');
    assert.ok(Math.abs(second!.startMs - ms(speech.length + clip.onsetSample)) <= 300, `second starts at ${second!.startMs} ms`);
  });

  it('answers an END_OF_SPEECH after silence with an utterance-end and no words', async () => {
    async function* input(): AsyncGenerator<RecognizerInput> {
      yield* frames(silence(1000));
      yield END_OF_SPEECH;
    }
    assert.deepEqual(await collect(stt.transcribe(input())), [{ type: 'utterance-end', atMs: 1000 }]);
  });

  it('stops quietly when aborted mid-stream, leaving no process behind', async () => {
    const controller = new AbortController();
    let sent = 0;
    async function* endless(): AsyncGenerator<RecognizerInput> {
      for (;;) {
        yield silence(20);
        if (++sent % 10 === 0) await sleep(10);
      }
    }
    const seen: TranscriptEvent[] = [];
    const reading = (async () => {
      for await (const event of stt.transcribe(endless(), controller.signal)) seen.push(event);
    })();
    await until(() => ourRecognizerProcesses().length > 0, 'pocketsphinx to start');
    const started = ourRecognizerProcesses();
    controller.abort();
    await reading;
    assert.deepEqual(seen, []);
    await until(() => !started.some(running), 'pocketsphinx to be gone after the abort');
  });

  it('a broken model is a one-line error naming what pocketsphinx said', async () => {
    const broken = new PocketsphinxStt(findOnPath('pocketsphinx_continuous')!, tempDir('vetta-model-'));
    await assert.rejects(collect(broken.transcribe(frames(goForward().samples))), (error: unknown) => {
      assert.ok(error instanceof ProviderError, String(error));
      assert.match(
        error.message,
        /^pocketsphinx: pocketsphinx_continuous failed \(ERROR: .*mdef.*\): check the model in .*, or apt-get install pocketsphinx pocketsphinx-en-us$/,
      );
      return true;
    });
  });
});

describe('pocketsphinx missing', () => {
  it('is found only on PATH, and its absence says what to install', () => {
    assert.equal(
      PocketsphinxStt.detect({ PATH: tempDir('vetta-empty-path-') }),
      'pocketsphinx is not installed (Debian/Ubuntu: apt-get install pocketsphinx pocketsphinx-en-us)',
    );
  });

  it('without its model, says the same', () => {
    assert.equal(
      PocketsphinxStt.detect(process.env, tempDir('vetta-no-model-')),
      'pocketsphinx is not installed (Debian/Ubuntu: apt-get install pocketsphinx pocketsphinx-en-us)',
    );
  });

  it('a binary gone since it was found is a one-line VettaError saying what to install', async () => {
    const gone = new PocketsphinxStt(`${tempDir('vetta-gone-')}/pocketsphinx_continuous`);
    async function* speech(): AsyncGenerator<RecognizerInput> {
      yield silence(100);
    }
    await assert.rejects(collect(gone.transcribe(speech())), (error: unknown) => {
      assert.ok(error instanceof VettaError, String(error));
      assert.equal(error.message, 'pocketsphinx is not installed (Debian/Ubuntu: apt-get install pocketsphinx pocketsphinx-en-us)');
      return true;
    });
  });
});

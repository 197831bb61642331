import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { interruptionMetrics, turnMetrics } from '../../src/pipeline/metrics.ts';
import { renderWaterfall } from '../../src/ui/waterfall.ts';
import { turnTimeline } from '../../src/pipeline/turn-taker.ts';
import type { CandidateUtterance, TurnEvent } from '../../src/pipeline/turn-taker.ts';
import type { SpeechOutcome } from '../../src/pipeline/spoken-output.ts';
import { materialUnavailable, recordedClip } from '../audio/material.ts';
import type { SpeechClip } from '../audio/material.ts';
import { RATE } from './room.ts';
import type { Echo } from './room.ts';
import { INTERVIEWER_TEXT, startRig } from './rig.ts';
import type { Rig } from './rig.ts';

/**
 * The turn taker end to end in a simulated room on a real-time clock: Silero VAD, the echo
 * canceller, the Deepgram and ElevenLabs adapters against their loopback fakes, and the
 * interviewer's SpokenOutput. Bounds are generous (a loaded 2-core machine); the figures are in
 * `vetta bench` and docs/performance.md.
 */
const CANDIDATE_AT = 2 * RATE;
/** From the candidate's true onset to the interviewer's last audible sample. */
const SILENT_WITHIN_MS = 600;

const skip = materialUnavailable();
const clip = (): SpeechClip => recordedClip('librivox/sense_and_sensibility_01_austen_64kb-0880.wav');
/** The candidate's clip placed so its speech starts at CANDIDATE_AT. */
const candidateAt = (c: SpeechClip, at = CANDIDATE_AT) => ({ samples: c.samples, atSample: at - c.onsetSample });
/**
 * Listens while the candidate cuts in at CANDIDATE_AT, or once a second of the interviewer has been
 * heard if that is later (a busy machine slows the voice's start and may bring it in pieces, and a
 * candidate cannot interrupt silence): the microphone runs from the start, and the candidate is
 * placed once known.
 */
async function cutIn(rig: Rig, samples: (at: number) => { samples: Int16Array; atSample: number }, options: { echo?: Echo; seconds: number }) {
  const candidate: { samples: Int16Array; atSample: number }[] = [];
  // The whole room until the candidate is placed: a voice that starts late must not find the
  // microphone already closed.
  const listening = { candidate, ...options, seconds: rig.room.seconds };
  const seen: string[] = [];
  const events = rig.listen(listening, (event) => seen.push(event.type));
  const heard = await rig.room.heardAfter(RATE);
  assert.ok(heard !== null, `the interviewer was heard for a second (events so far: ${seen.join(', ')})`);
  // A quarter of a second ahead at least, so the microphone has not passed it when it is placed.
  const at = Math.max(CANDIDATE_AT, heard, rig.room.nowSample() + RATE / 4);
  candidate.push(samples(at));
  // As long after the cut-in as the test asked for after CANDIDATE_AT.
  listening.seconds = Math.min(rig.room.seconds, options.seconds + (at - CANDIDATE_AT) / RATE);
  return { at, events: await events };
}
const of = <T extends TurnEvent['type']>(events: TurnEvent[], type: T) => events.filter((e): e is Extract<TurnEvent, { type: T }> => e.type === type);

describe('VoiceTurnTaker', { skip, timeout: 120_000 }, () => {
  it('barge-in: the candidate speaking over the interviewer silences it, drops the rest and aborts its turn', async () => {
    const rig = await startRig();
    try {
      const signal = rig.output.beginTurn();
      rig.output.push(INTERVIEWER_TEXT);
      const spoken = rig.output.endTurn();
      const { at, events } = await cutIn(rig, (at) => candidateAt(clip(), at), { echo: { delayMs: 40, gainDb: -12 }, seconds: 7 });
      const outcome = await spoken;
      const [interrupted] = of(events, 'interrupted');
      assert.ok(interrupted, `an interruption (events: ${events.map((e) => e.type).join(', ')})`);
      assert.ok(signal.aborted, "the interviewer's turn (its LLM and TTS) was aborted");
      const silentAt = rig.room.silentFrom(at);
      assert.ok(silentAt - at < (SILENT_WITHIN_MS * RATE) / 1000, `silent ${((silentAt - at) * 1000) / RATE} ms after the onset`);
      assert.ok(outcome.interruptedAt, 'the turn knows where it was cut off');
      assert.ok(outcome.interruptedAt.spokenText.startsWith('Let me'), `spoken: ${outcome.interruptedAt.spokenText}`);
      assert.ok(outcome.interruptedAt.unspokenText.endsWith('when you have one.'), `unspoken: ${outcome.interruptedAt.unspokenText}`);
      assert.equal(`${outcome.interruptedAt.spokenText} ${outcome.interruptedAt.unspokenText}`, INTERVIEWER_TEXT.trim());
      const [utterance] = of(events, 'utterance');
      assert.ok(utterance?.utterance.text.includes('fine'), "the candidate's words become the next utterance");
      assert.deepEqual(rig.errors, []);
    } finally {
      await rig.close();
    }
  });

  it('a short sound over the interviewer (a cough, an "mm-hm") ducks it, then it carries on at full volume', async () => {
    const rig = await startRig({ vocabulary: ['mm-hm'] });
    try {
      rig.output.beginTurn();
      rig.output.push(INTERVIEWER_TEXT);
      const spoken = rig.output.endTurn();
      const c = clip();
      // 128 ms of voiced speech: enough for an onset, too little to confirm.
      const { at, events } = await cutIn(rig, (at) => ({ samples: c.samples.slice(c.onsetSample + 300 * 16, c.onsetSample + 428 * 16), atSample: at }), {
        seconds: 7,
      });
      const outcome = await Promise.race([spoken, new Promise<null>((r) => setTimeout(() => r(null), 20_000))]);
      assert.ok(of(events, 'speech-started').length > 0, 'the burst was heard as a possible onset');
      assert.equal(of(events, 'interrupted').length, 0, 'no interruption');
      assert.ok(of(events, 'resumed').length > 0, 'the interviewer was given its voice back');
      assert.equal(of(events, 'utterance').length, 0, 'a backchannel is not a turn');
      assert.ok(outcome && outcome.interruptedAt === null, 'the interviewer finished its turn');
      // Full volume again: the level a second after the burst matches the level before it.
      const before = rig.room.level(at - RATE / 2, at);
      const after = rig.room.level(at + RATE, at + (3 * RATE) / 2);
      assert.ok(after > before * 0.7, `level before ${before.toFixed(0)}, after ${after.toFixed(0)}`);
    } finally {
      await rig.close();
    }
  });

  for (const echo of [
    { delayMs: 20, gainDb: -6 },
    { delayMs: 50, gainDb: -12 },
    { delayMs: 80, gainDb: -20 },
  ]) {
    it(`the interviewer's own echo (${echo.delayMs} ms, ${echo.gainDb} dB) never interrupts it; a candidate on top of it does`, async () => {
      const quiet = await startRig({ voice: 'espeak' });
      try {
        quiet.output.beginTurn();
        quiet.output.push(INTERVIEWER_TEXT);
        const spoken = quiet.output.endTurn();
        const events = await quiet.listen({ echo, seconds: 5 });
        quiet.output.interrupt();
        await spoken;
        assert.equal(of(events, 'interrupted').length, 0, `no interruption (events: ${events.map((e) => e.type).join(', ')})`);
        assert.equal(of(events, 'utterance').length, 0, 'the echo is not heard as the candidate speaking');
      } finally {
        await quiet.close();
      }
      const talking = await startRig({ voice: 'espeak' });
      try {
        talking.output.beginTurn();
        talking.output.push(INTERVIEWER_TEXT);
        const spoken = talking.output.endTurn();
        const { events } = await cutIn(talking, (at) => candidateAt(clip(), at), { echo, seconds: 6 });
        await spoken;
        assert.equal(of(events, 'interrupted').length, 1, `the candidate interrupts (events: ${events.map((e) => e.type).join(', ')})`);
      } finally {
        await talking.close();
      }
    });
  }

  it('without the echo canceller the same echo does interrupt (so the test above can fail)', async () => {
    const rig = await startRig({ voice: 'espeak', echoCanceller: false });
    try {
      rig.output.beginTurn();
      rig.output.push(INTERVIEWER_TEXT);
      const spoken = rig.output.endTurn();
      const events = await rig.listen({ echo: { delayMs: 50, gainDb: -12 }, seconds: 5 });
      await spoken;
      assert.ok(of(events, 'interrupted').length > 0);
    } finally {
      await rig.close();
    }
  });

  it('waits longer before answering an utterance that plainly goes on than a finished one, and says early only what is finished', async () => {
    const delays: Record<string, number> = {};
    for (const word of ['fine', 'and']) {
      const rig = await startRig({ vocabulary: [word], turnTaker: { endpointing: { minEndpointingMs: 400, maxEndpointingMs: 1_600 } } });
      try {
        let likelyAt: number | null = null;
        const events = await rig.listen({ candidate: [candidateAt(clip(), RATE / 2)], seconds: 6 }, (event) => {
          if (event.type === 'likely-utterance') likelyAt ??= performance.now();
        });
        const [utterance] = of(events, 'utterance');
        assert.ok(utterance, `an utterance for "${word}"`);
        assert.equal(utterance.utterance.unfinished, word === 'and');
        const likely = of(events, 'likely-utterance');
        if (word === 'and') assert.deepEqual(likely, [], 'words that plainly go on are not anticipated');
        else {
          assert.equal(likely.length, 1, `one likely utterance (events: ${events.map((e) => e.type).join(', ')})`);
          assert.equal(likely[0]!.text, utterance.utterance.text, 'with the words the turn ended on');
          assert.ok(events.indexOf(likely[0]!) < events.indexOf(utterance), 'before the turn was decided');
          assert.ok(likelyAt! > utterance.utterance.marks.speechEndedAt!, 'after the voice stopped');
        }
        const { speechEndedAt, endpointedAt } = utterance.utterance.marks;
        delays[word] = endpointedAt! - speechEndedAt!;
      } finally {
        await rig.close();
      }
    }
    assert.ok(delays.and! >= 1_600, `"... and" waited ${delays.and} ms`);
    assert.ok(delays.fine! < 1_600, `"... fine" waited ${delays.fine} ms`);
  });

  it('records the metrics of a turn and of an interruption, and draws them as a waterfall', async () => {
    const rig = await startRig();
    try {
      let utterance: CandidateUtterance | null = null;
      let reply: Promise<SpeechOutcome> | null = null;
      const events = await rig.listen({ candidate: [candidateAt(clip(), RATE / 2)], seconds: 6 }, (event) => {
        if (event.type !== 'utterance' || reply) return;
        utterance = event.utterance;
        rig.output.beginTurn();
        rig.output.push('Good. ');
        rig.output.push('What is the time complexity?');
        reply = rig.output.endTurn();
      });
      assert.ok(utterance && reply, `an utterance (events: ${events.map((e) => e.type).join(', ')})`);
      const timeline = turnTimeline(utterance, (await reply).marks);
      const metrics = turnMetrics(timeline);
      for (const key of ['endpointingMs', 'sttFinalMs', 'llmFirstTextMs', 'ttsFirstAudioMs', 'voiceToVoiceMs'] as const)
        assert.ok(typeof metrics[key] === 'number' && metrics[key]! >= 0, `${key}: ${metrics[key]}`);
      assert.ok(metrics.voiceToVoiceMs! >= metrics.endpointingMs!, 'the reply starts after the turn ended');
      const waterfall = renderWaterfall('turn 1', timeline);
      for (const stage of ['endpointing', 'stt final', 'llm first text', 'tts first audio', 'voice to voice']) assert.match(waterfall, new RegExp(stage));
      assert.ok(interruptionMetrics({ onsetAt: 0, duckedAt: 10, silencedAt: 50, stoppedAt: 180 }).onsetToSilenceMs === 50);
    } finally {
      await rig.close();
    }
  });
  it("places what it heard on the audio's own clock, however late the microphone's first frame came", async () => {
    const heard: Int16Array[] = [];
    const rig = await startRig({ turnTaker: { onHeard: (frame) => heard.push(frame.slice()) } });
    try {
      // A microphone that opens slowly (a busy machine): wall time passes before its first sample.
      await new Promise((r) => setTimeout(r, 900));
      const onset = RATE / 2;
      const events = await rig.listen({ candidate: [candidateAt(clip(), onset)], seconds: 5 });
      const [utterance] = of(events, 'utterance');
      assert.ok(utterance, `an utterance (events: ${events.map((e) => e.type).join(', ')})`);
      const { startMs, endMs } = utterance.utterance.audio;
      const onsetMs = (onset * 1000) / RATE;
      assert.ok(Math.abs(startMs - onsetMs) < 250, `the voice began at ${onsetMs} ms of the audio; placed at ${startMs} ms`);
      assert.ok(endMs > startMs + 500 && endMs < 5000, `the voice ended at ${endMs} ms`);
      // What a recording keeps is every sample the recognizer heard, from the first.
      assert.equal(
        heard.reduce((n, f) => n + f.length, 0),
        Math.floor((5 * RATE) / 512) * 512,
      );
    } finally {
      await rig.close();
    }
  });
});

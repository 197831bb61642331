/**
 * node --import tsx bench/voice.bench.ts [--json] [--turns N]   (also `vetta bench` from a checkout)
 *
 * The real-time pipeline, measured: recorded speech (LibriVox clips from pocketsphinx-testdata)
 * through the real Silero VAD, echo canceller, turn taker, sentence chunker and SpokenOutput, with
 * the Deepgram, OpenAI-compatible and ElevenLabs adapters talking to their loopback fakes at the
 * default latency profile. The room (test/pipeline/room.ts) runs on a real-time clock.
 * docs/performance.md ("Turn-taking") explains every figure and the --json fields.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { interruptionMetrics, quantile, turnMetrics } from '../src/pipeline/metrics.ts';
import { renderWaterfall } from '../src/ui/waterfall.ts';
import type { TurnMarks } from '../src/pipeline/metrics.ts';
import { SentenceChunker } from '../src/pipeline/sentence-chunker.ts';
import { turnTimeline } from '../src/pipeline/turn-taker.ts';
import type { CandidateUtterance, TurnEvent } from '../src/pipeline/turn-taker.ts';
import { PreemptiveBrain } from '../src/interview/preemptive-brain.ts';
import { initialState } from '../src/interview/state.ts';
import type { Brain, InterviewContext } from '../src/interview/brain.ts';
import { ModelBrain } from '../src/interview/model-brain.ts';
import { OpenAiCompatibleModel } from '../src/providers/openai/model.ts';
import { ESPEAK_SENTENCES, RECORDED_CLIPS, espeakClip, materialUnavailable, recordedClip, typingInARoom } from '../test/audio/material.ts';
import type { SpeechClip } from '../test/audio/material.ts';
import { pulseUnavailable, startPulse } from '../test/audio/pulse.ts';
import { startFakeOpenAi } from '../test/fakes/openai-server.ts';
import { RATE } from '../test/pipeline/room.ts';
import { INTERVIEWER_TEXT, startRig } from '../test/pipeline/rig.ts';

const args = process.argv.slice(2);
const json = args.includes('--json');
const turnsArg = args.indexOf('--turns');
const TURNS = turnsArg >= 0 ? Number(args[turnsArg + 1]) : 10;
const INTERRUPTIONS = Number(process.env.BENCH_INTERRUPTIONS ?? Math.max(3, Math.min(10, TURNS)));
const COLD_STARTS = Number(process.env.BENCH_COLD_STARTS ?? 3);

/** The default latency profile. */
const PROFILE = { sttFinalMs: 150, llmFirstTokenMs: 350, llmTokensPerSecond: 60, ttsFirstAudioMs: 250, ttsRealTimeFactor: 4 };
const REPLY = 'That sounds like a reasonable start. What would the time complexity be if the strings were very long? And how much extra space would you use?';

const log = (line: string) => {
  if (!json) process.stdout.write(`${line}\n`);
};
const round = (x: number | undefined) => (x === undefined ? null : Math.round(x));
const stats = (xs: number[]) => ({ p50: round(quantile(xs, 0.5)), p95: round(quantile(xs, 0.95)), n: xs.length });

// ---- Speech --------------------------------------------------------------------------------------

const unavailable = materialUnavailable();
let speechSource: string;
let clips: SpeechClip[];
if (!unavailable) {
  speechSource = 'recorded (LibriVox, pocketsphinx-testdata)';
  clips = Object.keys(RECORDED_CLIPS)
    .filter((name) => name.startsWith('librivox/'))
    .map(recordedClip);
} else if (!/espeak-ng/.test(unavailable)) {
  speechSource = `synthetic espeak-ng (${unavailable})`;
  clips = ESPEAK_SENTENCES.map((s) => espeakClip(s));
} else {
  process.stderr.write(`bench: no speech to test with: ${unavailable}\n`);
  process.exit(2);
}
log(`speech: ${speechSource}; ${TURNS} turns`);

// ---- The LLM fake, through the real OpenAI-compatible adapter ----------------------------------------

const llm = await startFakeOpenAi([{ text: REPLY, firstTokenDelayMs: PROFILE.llmFirstTokenMs, tokenDelayMs: 1000 / PROFILE.llmTokensPerSecond }]);
const brain: Brain = new ModelBrain(new OpenAiCompatibleModel({ baseUrl: llm.baseUrl, model: 'fake', retries: 0 }));
const context: InterviewContext = {
  problem: { id: 'valid-anagram', title: 'Valid Anagram', statement: 'Decide whether two strings are anagrams.', difficulty: 'easy' },
  state: initialState({ sessionId: 'bench', problemId: 'valid-anagram', language: 'python', atMs: 0 }),
};

/** The words of the first sentence: the fake streams a word (with its trailing space) a token. */
const firstChunkWords = new SentenceChunker().push(`${REPLY} x`)[0]!.text.split(/\s+/).length;
/**
 * The providers' share of a turn after endpointing: the first token, the rest of the first sentence
 * (the brain's output guard releases whole sentences), the first audio. The floor of a turn is its
 * endpointing plus this.
 */
const providersMs = PROFILE.llmFirstTokenMs + ((firstChunkWords - 1) * 1000) / PROFILE.llmTokensPerSecond + PROFILE.ttsFirstAudioMs;

// ---- Voice to voice ------------------------------------------------------------------------------

interface TurnResult {
  clip: string;
  marks: TurnMarks;
  voiceToVoiceMs: number;
  floorMs: number;
  fromTrueEndMs: number;
  naiveMs: number;
}

/**
 * One turn: the candidate's clip, then the reply. `preemptive` asks through PreemptiveBrain, which
 * starts the reply at the turn taker's likely-utterance, as `vetta practice` does by default.
 */
async function voiceTurn(
  clip: SpeechClip,
  preemptive: PreemptiveBrain | null,
): Promise<{ marks: TurnMarks; utterance: CandidateUtterance; trueEndAt: number; rig: Awaited<ReturnType<typeof startRig>> }> {
  const rig = await startRig({ vocabulary: ['fine'], sttLatencyMs: PROFILE.sttFinalMs, seconds: 20 });
  // A session opens its voice's connection once; every turn after the first finds it open.
  await rig.warmUp();
  const at = RATE / 2;
  const trueEndAt = rig.room.timeOf(at - clip.onsetSample + clip.endSample);
  const asked = preemptive ?? brain;
  let utterance: CandidateUtterance | null = null;
  let reply: Promise<TurnMarks> | null = null;
  const listenSeconds = (at - clip.onsetSample + clip.samples.length) / RATE + 3;
  await rig.listen({ candidate: [{ samples: clip.samples, atSample: at - clip.onsetSample }], seconds: listenSeconds }, (event: TurnEvent) => {
    if (event.type === 'likely-utterance') preemptive?.anticipate({ kind: 'discuss_approach', said: event.text }, context);
    if (event.type !== 'utterance' || reply) return;
    utterance = event.utterance;
    reply = (async () => {
      const signal = rig.output.beginTurn();
      for await (const part of asked.stream({ kind: 'discuss_approach', said: event.utterance.text }, context, signal))
        if (part.type === 'text-delta') rig.output.pushSentence(part.text);
      return turnTimeline(event.utterance, (await rig.output.endTurn()).marks);
    })();
  });
  if (!utterance || !reply) throw new Error(`${clip.name}: no utterance was detected`);
  return { marks: await (reply as Promise<TurnMarks>), utterance, trueEndAt, rig };
}

const turns: TurnResult[] = [];
const preemptiveTurns: { voiceToVoiceMs: number; fromTrueEndMs: number }[] = [];
const preemptive = new PreemptiveBrain(brain);
for (let i = 0; i < TURNS; i++) {
  const clip = clips[i % clips.length]!;
  const { marks, utterance, trueEndAt, rig } = await voiceTurn(clip, null);
  const naiveMs = await naiveTurn(rig, utterance.marks.endpointedAt! - utterance.marks.speechEndedAt!);
  await rig.close();
  const m = turnMetrics(marks);
  turns.push({
    clip: clip.name,
    marks,
    voiceToVoiceMs: m.voiceToVoiceMs!,
    floorMs: m.endpointingMs! + providersMs,
    fromTrueEndMs: marks.firstSampleAt! - trueEndAt,
    naiveMs,
  });
  if (i === 0) log(`\n${renderWaterfall(`turn 1 (${clip.name})`, marks)}\n`);
  const early = await voiceTurn(clip, preemptive);
  await early.rig.close();
  preemptiveTurns.push({ voiceToVoiceMs: turnMetrics(early.marks).voiceToVoiceMs!, fromTrueEndMs: early.marks.firstSampleAt! - early.trueEndAt });
}

/**
 * The same reply, sequentially: the whole LLM answer, then the whole synthesis, then playback.
 * Returns its voice-to-voice time, given the endpointing the real turn took.
 */
async function naiveTurn(rig: Awaited<ReturnType<typeof startRig>>, endpointingMs: number): Promise<number> {
  const startedAt = performance.now();
  let text = '';
  for await (const part of brain.stream({ kind: 'discuss_approach', said: 'fine' }, context)) if (part.type === 'text-delta') text += part.text;
  const voice = (rig.output as unknown as { voice: { synthesize(t: string): AsyncIterable<Int16Array> } }).voice;
  const audio: Int16Array[] = [];
  for await (const samples of voice.synthesize(text)) audio.push(samples);
  const player = rig.room.openPlayer();
  await player.write(audio[0]!);
  const firstSampleAt = performance.now();
  player.stop();
  return endpointingMs + (firstSampleAt - startedAt);
}

// ---- Interruptions -------------------------------------------------------------------------------

interface InterruptionResult {
  onsetToDuckMs?: number;
  onsetToSilenceMs?: number;
  onsetToStopMs?: number;
  trueOnsetToDuckMs?: number;
  trueOnsetToSilenceMs?: number;
  /** From the room's track: the candidate's true onset to the interviewer's last audible sample. */
  heardSilentAfterMs: number;
}

const interruptions: InterruptionResult[] = [];
for (let i = 0; i < INTERRUPTIONS; i++) {
  const clip = clips[i % clips.length]!;
  const rig = await startRig({ sttLatencyMs: PROFILE.sttFinalMs, seconds: 12 });
  rig.output.beginTurn();
  rig.output.push(INTERVIEWER_TEXT.repeat(2));
  const spoken = rig.output.endTurn();
  const at = 3 * RATE;
  const events = await rig.listen({ candidate: [{ samples: clip.samples, atSample: at - clip.onsetSample }], echo: { delayMs: 50, gainDb: -12 }, seconds: 5 });
  await spoken;
  const stop = events.find((e) => e.type === 'interrupted');
  if (stop?.type !== 'interrupted') throw new Error(`interruption ${i + 1}: the candidate did not interrupt`);
  const metrics = interruptionMetrics({ ...stop.marks, trueOnsetAt: rig.room.timeOf(at) });
  interruptions.push({ ...metrics, heardSilentAfterMs: ((rig.room.silentFrom(at) - at) * 1000) / RATE });
  await rig.close();
}

// ---- False interruptions -------------------------------------------------------------------------

interface FalseInterruptionCase {
  name: string;
  seconds: number;
  ducks: number;
  interruptions: number;
}

/** Every barge-in ends released (the interviewer carries on) or confirmed (it is interrupted). */
const bargeIns = (events: TurnEvent[]) => ({
  ducks: events.filter((e) => e.type === 'resumed' || e.type === 'interrupted').length,
  interruptions: events.filter((e) => e.type === 'interrupted').length,
});

const falseCases: FalseInterruptionCase[] = [];
{
  const seconds = Number(process.env.BENCH_TYPING_SECONDS ?? 20);
  const rig = await startRig({ sttLatencyMs: PROFILE.sttFinalMs, seconds: seconds + 2 });
  rig.output.beginTurn();
  rig.output.push(INTERVIEWER_TEXT.repeat(5));
  void rig.output.endTurn();
  const events = await rig.listen({ candidate: [{ samples: typingInARoom(seconds), atSample: 0 }], echo: { delayMs: 50, gainDb: -12 }, seconds });
  falseCases.push({ name: 'typing, fan, hum and pink noise, with echo', seconds, ...bargeIns(events) });
  await rig.close();
}
// The interviewer's own echo at three strengths; BENCH_ECHO=0 leaves them out (the turn taker's
// tests hear the same three).
for (const echo of process.env.BENCH_ECHO === '0'
  ? []
  : [
      { delayMs: 20, gainDb: -6 },
      { delayMs: 50, gainDb: -12 },
      { delayMs: 80, gainDb: -20 },
    ]) {
  const seconds = 6;
  const rig = await startRig({ voice: 'espeak', seconds: seconds + 2 });
  rig.output.beginTurn();
  rig.output.push(INTERVIEWER_TEXT);
  const spoken = rig.output.endTurn();
  const events = await rig.listen({ echo, seconds });
  rig.output.interrupt();
  await spoken;
  falseCases.push({ name: `espeak echo ${echo.delayMs} ms ${echo.gainDb} dB`, seconds, ...bargeIns(events) });
  await rig.close();
}
await llm.close();

// ---- Cold start of `vetta practice` --------------------------------------------------------------

interface ColdStart {
  firstFrameMs: number | null;
  /** The first interviewer sample written to the output, as Vetta marks it (VETTA_MARKS). */
  firstAudioMs: number | null;
  /** The first audible sample at the null sink's monitor: adds the virtual device's start-up. */
  heardAtSinkMs: number | null;
}

async function coldStart(): Promise<ColdStart | string> {
  if (!existsSync(join(import.meta.dirname, '..', 'dist', 'cli', 'main.js'))) return 'not built (npm run build)';
  if (spawnSync('tmux', ['-V']).status !== 0) return 'tmux is not installed';
  const pulseMissing = pulseUnavailable();
  const pulse = pulseMissing ? null : await startPulse();
  const home = mkdtempSync(join(tmpdir(), 'vetta-bench-'));
  const socket = join(home, 'tmux.sock');
  const marks = join(home, 'marks.jsonl');
  const env = {
    ...process.env,
    ...(pulse?.env ?? {}),
    VETTA_MARKS: marks,
    HOME: home,
    XDG_DATA_HOME: join(home, 'data'),
    XDG_CONFIG_HOME: join(home, 'config'),
    GEMINI_API_KEY: '',
    TERM: 'xterm-256color',
  };
  // The first loud piece the sink's monitor delivers is the first interviewer audio.
  let firstAudioAt: number | null = null;
  const monitor = pulse
    ? spawn('parec', ['-d', `${pulse.sink}.monitor`, '--raw', '--format=s16le', '--rate=16000', '--channels=1', '--latency-msec=10'], {
        env: pulse.env,
        stdio: ['ignore', 'pipe', 'ignore'],
      })
    : null;
  monitor?.stdout.on('data', (chunk: Buffer) => {
    if (firstAudioAt !== null) return;
    for (let i = 0; i + 1 < chunk.length; i += 2) if (Math.abs(chunk.readInt16LE(i)) > 300) firstAudioAt ??= performance.now();
  });
  await new Promise((r) => setTimeout(r, 300));
  const bin = join(import.meta.dirname, '..', 'bin', 'vetta.js');
  // The clock starts when the shell runs the command (tmux's own start is not Vetta's); Vetta marks
  // its first frame and its first sample written (VETTA_MARKS).
  const execStamp = join(home, 'exec-ns');
  const command = `sh -c 'date +%s%N > ${execStamp}; exec ${process.execPath} ${bin} practice --problem valid-anagram --llm scripted --voice${pulse ? ` --output-device ${pulse.sink}` : ''}'`;
  const startedAt = performance.now();
  spawnSync('tmux', ['-S', socket, 'new-session', '-d', '-x', '120', '-y', '40', command], { env });
  const markAt = (name: string) =>
    existsSync(marks)
      ? readFileSync(marks, 'utf8')
          .trim()
          .split('\n')
          .map((l) => JSON.parse(l) as { mark: string; at: number })
          .find((m) => m.mark === name)?.at
      : undefined;
  for (let waited = 0; waited < 10_000 && markAt('first-frame') === undefined; waited += 5) await new Promise((r) => setTimeout(r, 5));
  for (let waited = 0; pulse && firstAudioAt === null && waited < 5_000; waited += 20) await new Promise((r) => setTimeout(r, 20));
  spawnSync('tmux', ['-S', socket, 'kill-server'], { env });
  monitor?.kill('SIGKILL');
  pulse?.close();
  for (let waited = 0; waited < 5_000 && markAt('first-sample') === undefined; waited += 20) await new Promise((r) => setTimeout(r, 20));
  const execAt = existsSync(execStamp) ? Number(BigInt(readFileSync(execStamp, 'utf8').trim()) / 1_000_000n) : undefined;
  const since = (at: number | undefined) => (at === undefined || execAt === undefined ? null : at - execAt);
  return {
    firstFrameMs: since(markAt('first-frame')),
    firstAudioMs: since(markAt('first-sample')),
    heardAtSinkMs: firstAudioAt === null ? null : (firstAudioAt as number) - startedAt,
  };
}

const coldStarts: ColdStart[] = [];
let coldStartNote: string | null = COLD_STARTS === 0 ? 'skipped (BENCH_COLD_STARTS=0)' : null;
for (let i = 0; i < COLD_STARTS; i++) {
  const result = await coldStart();
  if (typeof result === 'string') {
    coldStartNote = result;
    break;
  }
  coldStarts.push(result);
}

// ---- Report --------------------------------------------------------------------------------------

const v2v = turns.map((t) => t.voiceToVoiceMs);
const overhead = turns.map((t) => t.voiceToVoiceMs - t.floorMs);
const report = {
  speech: speechSource,
  profile: PROFILE,
  turns: turns.length,
  voiceToVoiceMs: stats(v2v),
  voiceToVoiceFromTrueEndMs: stats(turns.map((t) => t.fromTrueEndMs)),
  floorMs: stats(turns.map((t) => t.floorMs)),
  overheadMs: stats(overhead),
  naiveSequentialMs: stats(turns.map((t) => t.naiveMs)),
  preemptive: {
    voiceToVoiceMs: stats(preemptiveTurns.map((t) => t.voiceToVoiceMs)),
    voiceToVoiceFromTrueEndMs: stats(preemptiveTurns.map((t) => t.fromTrueEndMs)),
    /** The earliest the reply can be heard: the recognizer's words, then the providers. */
    floorMs: Math.round(PROFILE.sttFinalMs + providersMs),
    anticipatedTaken: preemptive.taken.anticipated,
    askedAfresh: preemptive.taken.fresh,
  },
  stagesMs: {
    endpointing: stats(turns.map((t) => turnMetrics(t.marks).endpointingMs!)),
    sttFinal: stats(turns.map((t) => turnMetrics(t.marks).sttFinalMs!)),
    llmFirstSentence: stats(turns.map((t) => turnMetrics(t.marks).llmFirstTextMs!)),
    ttsFirstAudio: stats(turns.map((t) => turnMetrics(t.marks).ttsFirstAudioMs!)),
  },
  interruption: {
    trials: interruptions.length,
    onsetToDuckMs: stats(interruptions.map((r) => r.onsetToDuckMs!)),
    onsetToSilenceMs: stats(interruptions.map((r) => r.onsetToSilenceMs!)),
    onsetToStopMs: stats(interruptions.map((r) => r.onsetToStopMs!)),
    trueOnsetToDuckMs: stats(interruptions.map((r) => r.trueOnsetToDuckMs!)),
    trueOnsetToSilenceMs: stats(interruptions.map((r) => r.trueOnsetToSilenceMs!)),
    heardSilentAfterTrueOnsetMs: stats(interruptions.map((r) => r.heardSilentAfterMs)),
  },
  falseInterruptions: { total: falseCases.reduce((n, c) => n + c.interruptions, 0), cases: falseCases },
  coldStart: coldStartNote
    ? { note: coldStartNote }
    : {
        firstFrameMs: stats(coldStarts.flatMap((c) => (c.firstFrameMs === null ? [] : [c.firstFrameMs]))),
        firstAudioMs: stats(coldStarts.flatMap((c) => (c.firstAudioMs === null ? [] : [c.firstAudioMs]))),
        heardAtSinkMs: stats(coldStarts.flatMap((c) => (c.heardAtSinkMs === null ? [] : [c.heardAtSinkMs]))),
      },
};

if (json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
else {
  const row = (name: string, s: { p50: number | null; p95: number | null }, goal = '') =>
    log(`  ${name.padEnd(44)} p50 ${String(s.p50).padStart(5)} ms   p95 ${String(s.p95).padStart(5)} ms  ${goal}`);
  log(
    `profile: STT final ${PROFILE.sttFinalMs} ms after the end of speech, LLM first token ${PROFILE.llmFirstTokenMs} ms then ${PROFILE.llmTokensPerSecond} tokens/s, TTS first audio ${PROFILE.ttsFirstAudioMs} ms then ${PROFILE.ttsRealTimeFactor}x real time`,
  );
  log(`voice to voice (${turns.length} turns; from the end of the candidate's voice as the VAD heard it)`);
  row('measured', report.voiceToVoiceMs);
  row(`floor (endpointing + ${Math.round(providersMs)} ms of providers)`, report.floorMs);
  row('overhead (measured - floor)', report.overheadMs, 'goal p95 <= 15 ms');
  row('from the true end of speech', report.voiceToVoiceFromTrueEndMs);
  row('naive sequential pipeline', report.naiveSequentialMs);
  log(
    `with preemptive generation (the reply started at the likely end; ${report.preemptive.anticipatedTaken} of ${preemptiveTurns.length} taken over, ${report.preemptive.askedAfresh} asked afresh)`,
  );
  row('voice to voice', report.preemptive.voiceToVoiceMs, 'brief: sub-800 ms');
  log(
    `  ${`floor (STT ${PROFILE.sttFinalMs} ms + ${Math.round(providersMs)} ms of providers)`.padEnd(44)} ${String(report.preemptive.floorMs).padStart(9)} ms`,
  );
  row('from the true end of speech', report.preemptive.voiceToVoiceFromTrueEndMs);
  log(`interruptions (${interruptions.length}, candidate over the interviewer with echo at 50 ms -12 dB)`);
  row('VAD onset -> duck heard', report.interruption.onsetToDuckMs, 'goal p95 <= 40 ms');
  row('VAD onset -> silence heard', report.interruption.onsetToSilenceMs, 'goal p95 <= 120 ms');
  row('VAD onset -> stopped (confirmed)', report.interruption.onsetToStopMs);
  row('true onset -> duck heard', report.interruption.trueOnsetToDuckMs);
  row('true onset -> silence heard', report.interruption.trueOnsetToSilenceMs);
  row('true onset -> last audible sample (room)', report.interruption.heardSilentAfterTrueOnsetMs);
  log(`false interruptions: ${report.falseInterruptions.total} (goal 0)`);
  for (const c of falseCases) log(`  ${c.name.padEnd(44)} ${c.interruptions} interruptions, ${c.ducks} ducks in ${c.seconds} s`);
  if ('note' in report.coldStart) log(`cold start of vetta practice: not measured (${report.coldStart.note})`);
  else {
    row('cold start: command -> first frame', report.coldStart.firstFrameMs, 'goal <= 300 ms');
    row('cold start: command -> first audio (espeak)', report.coldStart.firstAudioMs, 'goal <= 1000 ms');
    row('  ... heard at the null sink (its start-up)', report.coldStart.heardAtSinkMs, '');
  }
}

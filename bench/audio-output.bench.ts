/**
 * node --import tsx bench/audio-output.bench.ts: how fast each output path falls silent.
 *
 * On a private PulseAudio server with a null sink, each path plays a 3 s tone; stop() is called
 * after 1 s, and a recorder on the sink's monitor timestamps what arrives. Stop latency is stop()
 * to the last audible sample at the monitor; start latency is the first write to the first audible
 * sample. Both include the recorder's own latency (a 10 ms fragment). `--json` prints the figures.
 */
import { spawn } from 'node:child_process';
import { openPlayer } from '../src/audio/output.ts';
import { startPulse } from '../test/audio/pulse.ts';

const RUNS = Number(process.env.BENCH_RUNS ?? 15);
const json = process.argv.includes('--json');
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const p95 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil(xs.length * 0.95) - 1)]!;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const pulse = await startPulse();
// The speaker addon plays in this process.
process.env.PULSE_SERVER = pulse.env.PULSE_SERVER;
const tone = Int16Array.from({ length: 3 * 16000 }, (_, i) => Math.round(8000 * Math.sin((2 * Math.PI * 440 * i) / 16000)));

/** Records the monitor, remembering when each sample arrived. */
function monitor() {
  const child = spawn('parec', ['-d', `${pulse.sink}.monitor`, '--raw', '--format=s16le', '--rate=16000', '--channels=1', '--latency-msec=10'], {
    env: pulse.env,
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const samples: number[] = [];
  const arrivals: { at: number; end: number }[] = [];
  let odd: Buffer = Buffer.alloc(0);
  child.stdout.on('data', (chunk: Buffer) => {
    const bytes = Buffer.concat([odd, chunk]);
    const even = bytes.length - (bytes.length % 2);
    for (let i = 0; i < even; i += 2) samples.push(bytes.readInt16LE(i));
    odd = bytes.subarray(even);
    arrivals.push({ at: performance.now(), end: samples.length });
  });
  /** When sample i reached the monitor: its chunk's arrival, less the samples after it in that chunk. */
  const timeOf = (i: number) => {
    const chunk = arrivals.find((a) => a.end > i)!;
    return chunk.at - ((chunk.end - 1 - i) / 16000) * 1000;
  };
  const loud = (i: number) => {
    let sum = 0;
    for (let j = i; j < i + 80; j++) sum += samples[j]! ** 2;
    return Math.sqrt(sum / 80) > 1000;
  };
  return {
    flowing: async () => {
      while (samples.length < 1600) await sleep(10);
    },
    finish: () => {
      child.kill('SIGKILL');
      let first = -1;
      let last = -1;
      for (let i = 0; i + 80 <= samples.length; i += 80) {
        if (!loud(i)) continue;
        if (first < 0) first = i;
        last = i + 79;
      }
      return first < 0 ? undefined : { firstAt: timeOf(first), lastAt: timeOf(last) };
    },
  };
}

const rows: Record<string, unknown>[] = [];
for (const prefer of ['speaker', 'subprocess'] as const) {
  const stops: number[] = [];
  const starts: number[] = [];
  let description = '';
  for (let run = 0; run < RUNS; run++) {
    const recorder = monitor();
    await recorder.flowing();
    const choice = await openPlayer({ device: pulse.sink, env: pulse.env, prefer });
    description = choice.description;
    const writeAt = performance.now();
    const playing = choice.player.write(tone).catch(() => {});
    await sleep(1000);
    const stopAt = performance.now();
    choice.player.stop();
    await playing;
    await sleep(800);
    const heard = recorder.finish();
    if (!heard) throw new Error(`${description}: nothing arrived at the monitor`);
    starts.push(heard.firstAt - writeAt);
    stops.push(heard.lastAt - stopAt);
  }
  rows.push({
    path: description,
    runs: RUNS,
    stopMedianMs: Math.round(median(stops)),
    stopP95Ms: Math.round(p95(stops)),
    startMedianMs: Math.round(median(starts)),
  });
}
pulse.close();

if (json) process.stdout.write(`${JSON.stringify(rows)}\n`);
else {
  process.stdout.write('| path | stop() -> silence, median | p95 | first write -> sound, median |\n| --- | --- | --- | --- |\n');
  for (const r of rows) process.stdout.write(`| ${r.path} | ${r.stopMedianMs} ms | ${r.stopP95Ms} ms | ${r.startMedianMs} ms |\n`);
}

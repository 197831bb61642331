import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';
import { materialUnavailable } from '../audio/material.ts';

/**
 * A short run of the voice benchmark (bench/voice.bench.ts) that fails on a regression in
 * behaviour: a pipeline that stopped streaming (slower than doing each step in turn), stopped
 * answering early, or stopped ducking and cancelling echo. The pipeline's own overhead is a figure
 * for the benchmark, not a bound here: with both cores kept busy by other work its p95 went from
 * about 20 ms to 430 ms while every behaviour held. The interruption bounds are several times the
 * figures in docs/performance.md.
 */
const BOUNDS = {
  onsetToSilenceP95Ms: 300,
  heardSilentAfterTrueOnsetP95Ms: 600,
};

describe('vetta bench (short)', { skip: materialUnavailable(), timeout: 300_000 }, () => {
  it('stays within generous bounds of the recorded figures, with no false interruption', async () => {
    const root = join(import.meta.dirname, '..', '..');
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', join(root, 'bench', 'voice.bench.ts'), '--json', '--turns', '2'], {
      cwd: root,
      // The echo cases are the turn taker's tests' own (test/pipeline/turn-taker.test.ts).
      env: { ...process.env, BENCH_INTERRUPTIONS: '2', BENCH_COLD_STARTS: '0', BENCH_TYPING_SECONDS: '8', BENCH_ECHO: '0' },
      maxBuffer: 16 << 20,
    });
    const report = JSON.parse(stdout);
    assert.equal(report.turns, 2);
    // The typical turn, not the slowest: one turn descheduled by other work on the machine is a
    // figure for the benchmark, and a pipeline that stopped streaming is slower in every turn.
    assert.ok(
      report.voiceToVoiceMs.p50 < report.naiveSequentialMs.p50,
      `the streaming pipeline answers before the sequential one (${report.voiceToVoiceMs.p50} against ${report.naiveSequentialMs.p50} ms)`,
    );
    assert.ok(report.preemptive.anticipatedTaken >= 1, `a reply started early was taken over (${JSON.stringify(report.preemptive)})`);
    assert.ok(report.preemptive.voiceToVoiceMs.p50 < report.voiceToVoiceMs.p50, 'preemptive generation answers sooner than waiting for the turn to be decided');
    assert.ok(report.interruption.onsetToSilenceMs.p95 <= BOUNDS.onsetToSilenceP95Ms, `onset to silence p95 ${report.interruption.onsetToSilenceMs.p95} ms`);
    assert.ok(
      report.interruption.heardSilentAfterTrueOnsetMs.p95 <= BOUNDS.heardSilentAfterTrueOnsetP95Ms,
      `silent after the true onset p95 ${report.interruption.heardSilentAfterTrueOnsetMs.p95} ms`,
    );
    assert.equal(report.falseInterruptions.total, 0, JSON.stringify(report.falseInterruptions.cases));
  });
});

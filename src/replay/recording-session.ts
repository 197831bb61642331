import { readFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { dataDir, packageRoot } from '../core/paths.js';
import { readProblemFile } from '../problems/load.js';
import type { Language, Problem } from '../problems/load.js';
import type { Brain } from '../interview/brain.js';
import { audioFileFor, Recorder, RecordingBrain } from './recorder.js';
import { digest, RECORDING_FORMAT, RECORDING_VERSION } from './recording.js';
import { scrubber, secretValues } from '../core/secrets.js';
import type { RecordingHeader } from './recording.js';
import type { InterviewEvent } from '../interview/state.js';

/** The problem as it is judged: its statement and its tests. A check says when they changed. */
export function problemContentHash(problem: Problem): string {
  return digest(['problem.md', 'tests.json'].map((name) => readProblemFile(problem, name) ?? '').join('\u0000'));
}

export function vettaVersion(): string {
  return (JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string }).version;
}

/**
 * Where a recording goes: --record FILE, else with --record or `"record": true` in the config
 * file, $XDG_DATA_HOME/vetta/recordings/<session id>.jsonl; null when not recording.
 */
export function recordingPath(flag: string | boolean | undefined, configured: unknown, env: NodeJS.ProcessEnv, sessionId: string): string | null {
  if (typeof flag === 'string') return resolve(flag);
  if (flag === true || configured === true) return join(dataDir(env), 'recordings', `${sessionId}.jsonl`);
  return null;
}

export interface StartRecordingOptions {
  file: string;
  problem: Problem;
  language: Language;
  brain: Brain;
  sessionId: string;
  now: () => number;
  clock: 'virtual' | 'wall';
  /** Where secrets come from, to keep them out: the environment and the config file's settings. */
  env: NodeJS.ProcessEnv;
  config: unknown;
  resumeFrom?: { startedAtMs: number; events: readonly InterviewEvent[] };
  /** Voice was used: the candidate's audio goes to the sibling .audio.pcm file. */
  voice?: boolean;
}

/** The recorder and the brain to interview with, which records every turn it takes. */
export function startRecording(options: StartRecordingOptions): { recorder: Recorder; brain: Brain } {
  const { model } = options.brain;
  const header: RecordingHeader = {
    format: RECORDING_FORMAT,
    version: RECORDING_VERSION,
    vettaVersion: vettaVersion(),
    sessionId: options.sessionId,
    problem: { id: options.problem.id, contentHash: problemContentHash(options.problem) },
    language: options.language,
    brain: { name: options.brain.name, ...(model ? { model } : {}) },
    startedAt: new Date().toISOString(),
    clock: { kind: options.clock, startMs: options.now() },
    ...(options.resumeFrom ? { resumeFrom: { startedAtMs: options.resumeFrom.startedAtMs, events: [...options.resumeFrom.events] } } : {}),
    ...(options.voice ? { audio: { file: basename(audioFileFor(options.file)), encoding: 'pcm_s16le', sampleRateHz: 16000, channels: 1 } as const } : {}),
  };
  const recorder = Recorder.create(options.file, header, { now: options.now, scrub: scrubber(secretValues(options.env, options.config)) });
  return { recorder, brain: new RecordingBrain(options.brain, recorder) };
}

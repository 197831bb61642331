import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { VettaError, errorMessage } from '../core/errors.js';
import { preview } from '../core/text.js';
import type { Language, Problem, ProblemTest } from '../problems/load.js';
import { EXTENSIONS } from '../problems/load.js';
import { ProviderError } from '../providers/errors.js';
import { ScriptedBrain } from '../providers/scripted/brain.js';
import type { Brain, BrainPart, Instruction, InterviewContext } from '../providers/spec.js';
import type { Sandbox } from '../sandbox/spec.js';
import { Recorder, RecordingBrain } from './recorder.js';
import { canonicalJson, Cassette, diffValues, normaliseRequest } from './recording.js';
import type { CassetteEntry, NormalisedRequest, RecordedAction, Recording, RecordingLine } from './recording.js';
import { clockLabel, diffLines } from './report.js';
import type { CheckResult, Divergence } from './report.js';
import type { Action } from '../interview/actions.js';
import { problemContentHash } from './recording-session.js';
import type { Scorecard } from '../interview/scorecard.js';
import type { InterviewEvent } from '../interview/state.js';

/** What a check drives: the practice session, built by the caller (src/cli), which wires the practice session's parts. */
export interface ReplaySession {
  readonly ended: boolean;
  start(): Promise<void>;
  perform(action: Action): Promise<void>;
  tick(): Promise<void>;
  finish(): Promise<Scorecard>;
}

export interface ReplaySessionOptions {
  problem: Problem;
  tests: ProblemTest[];
  language: Language;
  brain: Brain;
  fallbackBrain: Brain;
  sandbox: Sandbox;
  sessionId: string;
  now: () => number;
  solutionFile: string;
  runEditor: (file: string) => Promise<{ status: number | null; signal?: string | null }>;
  waitForSpeech: boolean;
  onEvent: (event: InterviewEvent) => void;
  onNotice: (message: string) => void;
  onAction: (action: Action | { kind: 'tick' }) => void;
  resumeFrom?: { startedAtMs: number; events: readonly InterviewEvent[] };
}

export interface CheckOptions {
  problem: Problem;
  tests: ProblemTest[];
  sandbox: Sandbox;
  makeSession: (options: ReplaySessionOptions) => ReplaySession;
  /** A scratch folder for the solution file and edited snapshots. */
  workDir: string;
  /** Answers the interviewer's turns live instead of from the recording's cassette. */
  liveBrain?: Brain;
  /** Rewrites the recording from today's behaviour (secrets scrubbed as when recording). */
  update?: { vettaVersion: string; scrub: (text: string) => string };
}

/** A stretch of the recording: what one action led to (segment 0 is the interviewer's opening). */
interface Segment {
  action: RecordedAction | null;
  t: number;
  clock: number;
  /** The interview clock of each recorded event, in order: the replay's clock follows them. */
  eventClocks: number[];
  events: InterviewEvent[];
  endClock: number;
}

function segmentsOf(recording: Recording): Segment[] {
  const start = recording.header.clock.startMs;
  const segments: Segment[] = [{ action: null, t: 0, clock: start, eventClocks: [], events: [], endClock: start }];
  for (const line of recording.lines) {
    if (line.type === 'action') {
      segments.push({ action: line.action, t: line.t, clock: line.clock, eventClocks: [], events: [], endClock: line.clock });
      continue;
    }
    const segment = segments.at(-1)!;
    segment.endClock = Math.max(segment.endClock, line.clock);
    if (line.type === 'event') {
      segment.events.push(line.event);
      segment.eventClocks.push(line.clock);
    }
  }
  return segments;
}

/** A policy decision, as a line a person reads; null for what is input, not decision. */
export function decision(event: InterviewEvent): string | null {
  switch (event.type) {
    case 'phase_changed':
      return `phase: ${event.phase}`;
    case 'hint_given':
      return `hint: ${event.level} (${event.reason})`;
    case 'tests_ran':
      return `${event.run.kind}: ${event.run.verdict}, ${event.run.passed} of ${event.run.total} passed`;
    case 'follow_up_asked':
      return 'follow-up asked';
    case 'clarification_answered':
      return 'clarification answered from the problem';
    default:
      return null;
  }
}

const decisions = (events: readonly InterviewEvent[]) => events.map(decision).filter((d): d is string => d !== null);

export function describeAction(action: RecordedAction): string {
  switch (action.kind) {
    case 'say':
      return `said ${preview(action.text, 60)}`;
    case 'edit':
      return action.code === null ? `/edit (${action.via}; no code came back)` : `/edit (${action.via}; ${action.code.split('\n').length} lines)`;
    case 'wait':
      return `/wait ${action.seconds}`;
    case 'tick':
      return 'idle (the policy looked at the clock)';
    default:
      return `/${action.kind}`;
  }
}

/**
 * Answers the interviewer's turns from the recording. A request that is not in it is a divergence;
 * the turn is still answered (from the same position) so the rest of the interview can be checked.
 */
class CassetteBrain implements Brain {
  constructor(
    readonly name: string,
    private readonly cassette: Cassette,
    private readonly onMiss: (request: NormalisedRequest, nearest: CassetteEntry | null) => void,
  ) {}

  async *stream(instruction: Instruction, context: InterviewContext): AsyncGenerator<BrainPart> {
    const request = normaliseRequest(instruction, context);
    const found = this.cassette.take(request);
    if (!found.hit) this.onMiss(request, found.nearest);
    const entry = found.hit ? found.entry : found.nearest?.error === undefined ? found.nearest : null;
    if (entry?.error !== undefined) throw new ProviderError(this.name, entry.error.replace(new RegExp(`^${this.name}: `), ''), { retryable: true });
    for (const word of (entry?.text ?? '[this turn is not in the recording]').split(/(?<= )/)) yield { type: 'text-delta', text: word };
    yield { type: 'finish' };
  }
}

const MISSES_SHOWN = 3;

/**
 * Re-runs the candidate's side of a recording through today's engine and compares the policy's
 * decisions (phases, hints, verdicts, follow-ups) stretch by stretch, the LLM requests, and the
 * scorecard. The clock follows the recording: each event happens at the interview time it was
 * recorded at, so time-based decisions see the same clock.
 */
export async function checkRecording(recording: Recording, options: CheckOptions): Promise<CheckResult> {
  const startedMs = performance.now();
  const { header } = recording;
  const segments = segmentsOf(recording);
  // Each with the stretch it belongs to, so they print in the order they happened.
  const found: { segment: number; divergence: Divergence }[] = [];
  const diverged = (segment: number, divergence: Divergence) => found.push({ segment, divergence });
  const today: string[][] = segments.map(() => []);
  let current = 0;
  let emitted = 0;
  let started = false;
  const now = () => (started ? (segments[current]!.eventClocks[emitted] ?? segments[current]!.endClock) : header.clock.startMs);
  const where = (i: number) => {
    const s = segments[i]!;
    return s.action ? `after action ${i} at ${clockLabel(s.clock - header.clock.startMs)}, ${describeAction(s.action)}` : 'the opening';
  };

  let llmTurns = 0;
  const misses: { segment: number; divergence: Divergence }[] = [];
  const cassette = new Cassette(recording.lines);
  const onMiss = (request: NormalisedRequest, nearest: CassetteEntry | null) => {
    const kind = (request.instruction as { kind?: string }).kind ?? 'turn';
    misses.push({ segment: current, divergence: { where: `${where(current)}: the interviewer's "${kind}" request is not in the recording`, diff: diffValues(nearest?.request ?? null, request) } });
  };
  const answering: Brain = options.liveBrain ?? new CassetteBrain(header.brain.name, cassette, onMiss);

  const updating = options.update ? `${recording.file}.update` : null;
  const recorder =
    options.update && updating
      ? Recorder.create(updating, { ...header, vettaVersion: options.update.vettaVersion, problem: { id: header.problem.id, contentHash: problemContentHash(options.problem) } }, { now, scrub: options.update.scrub, elapsedMs: () => segments[current]!.t })
      : null;
  const brain = recorder ? new RecordingBrain(answering, recorder) : answering;
  const countingBrain: Brain = {
    name: brain.name,
    stream: (instruction, context, signal) => {
      llmTurns++;
      return brain.stream(instruction, context, signal);
    },
  };

  let editorCode: string | null = null;
  const runEditor = async (file: string) => {
    if (editorCode === null) return { status: 1 };
    writeFileSync(file, editorCode);
    return { status: 0 };
  };
  const session = options.makeSession({
    problem: options.problem,
    tests: options.tests,
    language: header.language,
    brain: countingBrain,
    fallbackBrain: new ScriptedBrain(),
    sandbox: options.sandbox,
    sessionId: header.sessionId,
    now,
    solutionFile: join(options.workDir, `solution.${EXTENSIONS[header.language]}`),
    runEditor: recorder ? recorder.watchEditor(runEditor) : runEditor,
    waitForSpeech: true,
    onEvent: (event) => {
      emitted++;
      const d = decision(event);
      if (d) today[current]!.push(d);
      recorder?.event(event);
    },
    onNotice: (message) => recorder?.notice(message),
    onAction: (action) => recorder?.action(action),
    ...(header.resumeFrom ? { resumeFrom: header.resumeFrom } : {}),
  });

  const perform = async (index: number, action: RecordedAction) => {
    if (action.kind === 'tick') return session.tick();
    if (action.kind !== 'edit') return session.perform(action);
    if (action.via === 'editor') {
      editorCode = action.code;
      return session.perform({ kind: 'edit' });
    }
    const file = join(options.workDir, `edit-${index}.${EXTENSIONS[header.language]}`);
    if (action.code !== null) writeFileSync(file, action.code);
    else rmSync(file, { force: true });
    return session.perform({ kind: 'edit', file });
  };

  let card: Scorecard | null = null;
  try {
    started = true;
    await session.start();
    for (let i = 1; i < segments.length; i++) {
      if (session.ended) {
        diverged(i, { where: where(i), diff: [`- ${segments.length - i} more actions were recorded`, '+ the interview had already ended'] });
        break;
      }
      current = i;
      emitted = 0;
      try {
        await perform(i, segments[i]!.action!);
      } catch (e) {
        // The recorded session met the same refusal (a missing file): it is the candidate's input.
        if (!(e instanceof VettaError) || e instanceof ProviderError) diverged(i, { where: where(i), diff: [`+ failed: ${errorMessage(e)}`] });
      }
    }
    card = await session.finish();
    recorder?.scorecard(card);
  } finally {
    recorder?.close();
  }

  for (const [i, segment] of segments.entries()) {
    const recorded = decisions(segment.events);
    if (canonicalJson(recorded) === canonicalJson(today[i])) continue;
    diverged(i, { where: where(i), diff: diffLines(recorded, today[i]!) });
  }
  // A request that changed because a decision before it did says nothing new: count it, show the rest.
  const decided = new Set(found.map((f) => f.segment));
  const unexplained = misses.filter((m) => ![...decided].some((d) => d <= m.segment));
  for (const miss of unexplained.slice(0, MISSES_SHOWN)) diverged(miss.segment + 0.5, miss.divergence);
  const unshown = misses.length - Math.min(unexplained.length, MISSES_SHOWN);
  if (unshown > 0) diverged(segments.length, { where: "the interviewer's requests", diff: [`+ ${unshown} more requests differ from the recording${unexplained.length < misses.length ? ', following from the decisions above' : ''}`] });
  const recordedCard = recording.lines.findLast((l): l is Extract<RecordingLine, { type: 'scorecard' }> => l.type === 'scorecard')?.card;
  if (recordedCard && card) {
    const diff = diffValues(recordedCard, card);
    if (diff.length > 0) diverged(segments.length, { where: 'the scorecard', diff });
  }
  if (recorder && updating) renameSync(updating, recording.file);

  return {
    file: recording.file,
    ok: found.length === 0,
    divergences: found.sort((a, b) => a.segment - b.segment).map(({ divergence }) => divergence),
    actions: segments.length - 1,
    llmTurns,
    problemChanged: header.problem.contentHash !== problemContentHash(options.problem),
    durationMs: performance.now() - startedMs,
  };
}

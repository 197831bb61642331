import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { VettaError, errorMessage } from '../core/errors.js';
import { joinWords, preview } from '../core/text.js';
import type { Language, Problem, ProblemTest } from '../problems/load.js';
import { EXTENSIONS } from '../problems/load.js';
import { ProviderError } from '../providers/errors.js';
import type { Brain, BrainPart, Instruction, InterviewContext } from '../interview/brain.js';
import { ScriptedBrain } from '../interview/scripted-brain.js';
import type { Sandbox } from '../core/sandbox.js';
import { Recorder, RecordingBrain } from './recorder.js';
import { canonicalJson, Cassette, diffValues, normaliseRequest } from './recording.js';
import type { CassetteEntry, NormalisedRequest, RecordedAction, Recording, RecordingLine } from './recording.js';
import { clockLabel, diffLines } from './report.js';
import type { CheckResult, Divergence, UpdateOutcome } from './report.js';
import type { Action } from '../interview/actions.js';
import { problemContentHash } from './recording-session.js';
import type { Scorecard } from '../interview/scorecard.js';
import type { InterviewEvent, TestRunRecord } from '../interview/state.js';

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
  /** Rewrites a diverging recording from today's behaviour (secrets scrubbed as when recording). */
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
    case 'candidate_understood':
      return `read as ${event.intent}${event.properties ? ` (${event.properties.join(', ')})` : ''}${event.approachTime ? ` (${event.approachTime})` : ''}: ${event.move}${event.claimCheck ? `, claim ${event.claimCheck.claimed} ${event.claimCheck.correct ? 'right' : `wrong (${event.claimCheck.actual})`}` : ''}`;
    case 'questions_invited':
      return "asked for the candidate's questions";
    case 'time_warned':
      return 'said how little time is left';
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

/**
 * The tests whose outcome changed between a recorded run and today's run at the same place: what a
 * reader of a divergence wants first ("which test flipped?"). A recording that kept no names for
 * its failures names nothing, unless it passed everything.
 */
function flippedTests(recorded: readonly TestRunRecord[], today: readonly TestRunRecord[]): string[] {
  const lines: string[] = [];
  const failedIn = (run: TestRunRecord) => run.failed ?? (run.verdict === 'accepted' ? [] : null);
  for (const [n, before] of recorded.entries()) {
    const after = today[n];
    if (!after || after.kind !== before.kind) continue;
    const [was, now] = [failedIn(before), failedIn(after)];
    if (was === null || now === null) continue;
    const nowFail = now.filter((name) => !was.includes(name));
    const nowPass = was.filter((name) => !now.includes(name));
    const which = recorded.length > 1 ? `${before.kind} ${n + 1}` : `the ${before.kind}`;
    if (nowFail.length > 0) lines.push(`  ${which} now fails ${testNames(nowFail)}, which passed when recorded`);
    if (nowPass.length > 0) lines.push(`  ${which} now passes ${testNames(nowPass)}, which failed when recorded`);
  }
  return lines;
}

const TEST_NAMES_SHOWN = 4;

function testNames(names: readonly string[]): string {
  const shown = names.slice(0, TEST_NAMES_SHOWN).map((t) => `"${t}"`);
  return names.length > TEST_NAMES_SHOWN ? `${shown.join(', ')} and ${names.length - TEST_NAMES_SHOWN} more` : joinWords(shown);
}

const MISSES_SHOWN = 3;

type Found = { segment: number; divergence: Divergence };

/** What one pass over the recording found. */
interface Pass {
  found: Found[];
  llmTurns: number;
  /** Why the pass could not go on (the sandbox would not start): the environment, not Vetta's behaviour. */
  environmentError: string | null;
}

/** A refusal that comes from this machine, not from the recorded candidate: the check cannot say anything. */
function isEnvironmentError(e: unknown): e is VettaError {
  return e instanceof VettaError && !(e instanceof ProviderError) && (e.code === 'sandbox_unavailable' || e.code === 'io');
}

/**
 * Re-runs the candidate's side of a recording through today's engine and compares the policy's
 * decisions (phases, hints, verdicts, follow-ups) stretch by stretch, the LLM requests, and the
 * scorecard. The clock follows the recording: each event happens at the interview time it was
 * recorded at, so time-based decisions see the same clock.
 *
 * With `update`, a recording that diverged is rewritten from a second pass in which, from the first
 * diverging stretch on, the interviewer speaks again instead of the cassette (the offline
 * interviewer, or the live one), so the words follow today's decisions. A recording that passed,
 * that could not be checked, or whose interviewer was a model that is not asked again, is left as it is.
 */
export async function checkRecording(recording: Recording, options: CheckOptions): Promise<CheckResult> {
  const startedMs = performance.now();
  const checked = await replayOnce(recording, options, null);
  const ok = checked.found.length === 0 && checked.environmentError === null;
  const result: CheckResult = {
    file: recording.file,
    ok,
    divergences: checked.found.sort((a, b) => a.segment - b.segment).map(({ divergence }) => divergence),
    actions: segmentsOf(recording).length - 1,
    llmTurns: checked.llmTurns,
    problemChanged: recording.header.problem.contentHash !== problemContentHash(options.problem),
    error: checked.environmentError,
    truncated: recording.truncated,
    durationMs: 0,
  };
  if (options.update) result.update = await update(recording, options, checked, ok);
  result.durationMs = performance.now() - startedMs;
  return result;
}

async function update(recording: Recording, options: CheckOptions, checked: Pass, ok: boolean): Promise<UpdateOutcome> {
  if (checked.environmentError !== null) return { written: false, why: "the check could not run, so it says nothing about today's behaviour" };
  if (ok) return { written: false, why: 'it checks OK as recorded' };
  const brain = recording.header.brain.name;
  if (!options.liveBrain && brain !== 'scripted')
    return { written: false, why: `recorded with the ${brain} interviewer, whose words after the divergence only it can say: add --live to ask it again` };
  const speakFrom = Math.floor(Math.min(...checked.found.map((f) => f.segment)));
  const file = `${recording.file}.update`;
  const rewritten = await replayOnce(recording, options, { file, speakFrom });
  if (rewritten.environmentError !== null) {
    rmSync(file, { force: true });
    return { written: false, why: `the check could not run again: ${rewritten.environmentError}` };
  }
  renameSync(file, recording.file);
  return { written: true };
}

/** One pass over the recording; with `rewrite`, today's interview is written to `rewrite.file`. */
async function replayOnce(recording: Recording, options: CheckOptions, rewrite: { file: string; speakFrom: number } | null): Promise<Pass> {
  const { header } = recording;
  const segments = segmentsOf(recording);
  // Each with the stretch it belongs to, so they print in the order they happened.
  const found: Found[] = [];
  const diverged = (segment: number, divergence: Divergence) => found.push({ segment, divergence });
  const today: string[][] = segments.map(() => []);
  const todaysRuns: TestRunRecord[][] = segments.map(() => []);
  let current = 0;
  let emitted = 0;
  let started = false;
  const now = () => (started ? (segments[current]!.eventClocks[emitted] ?? segments[current]!.endClock) : header.clock.startMs);
  const where = (i: number) => {
    const s = segments[i]!;
    return s.action ? `after action ${i} at ${clockLabel(s.clock - header.clock.startMs)}, ${describeAction(s.action)}` : 'the opening';
  };

  let llmTurns = 0;
  const misses: Found[] = [];
  const cassette = new Cassette(recording.lines);
  const onMiss = (request: NormalisedRequest, nearest: CassetteEntry | null) => {
    const kind = (request.instruction as { kind?: string }).kind ?? 'turn';
    misses.push({
      segment: current,
      divergence: {
        where: `${where(current)}: the interviewer's "${kind}" request is not in the recording`,
        diff: diffValues(nearest?.request ?? null, request),
      },
    });
  };
  const fromCassette = new CassetteBrain(header.brain.name, cassette, onMiss);
  const scripted = new ScriptedBrain();
  // A rewrite takes the recorded words only before the first divergence; the offline interviewer is deterministic.
  const answering: Brain =
    options.liveBrain ??
    (rewrite ? { name: header.brain.name, stream: (i, c, s) => (current < rewrite.speakFrom ? fromCassette : scripted).stream(i, c, s) } : fromCassette);

  const recorder = rewrite
    ? Recorder.create(
        rewrite.file,
        { ...header, vettaVersion: options.update!.vettaVersion, problem: { id: header.problem.id, contentHash: problemContentHash(options.problem) } },
        { now, scrub: options.update!.scrub, elapsedMs: () => segments[current]!.t },
      )
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
    fallbackBrain: scripted,
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
      if (event.type === 'tests_ran') todaysRuns[current]!.push(event.run);
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

  // A session that was killed has no wrap-up or scorecard: ending it here would add what it never had.
  const recordedCard = recording.lines.findLast((l): l is Extract<RecordingLine, { type: 'scorecard' }> => l.type === 'scorecard')?.card;
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
        if (isEnvironmentError(e)) return { found, llmTurns, environmentError: `${where(i)}: ${errorMessage(e)}` };
        // The recorded session met the same refusal (a missing file): it is the candidate's input.
        if (!(e instanceof VettaError) || e instanceof ProviderError) diverged(i, { where: where(i), diff: [`+ failed: ${errorMessage(e)}`] });
      }
    }
    if (recordedCard || session.ended) {
      card = await session.finish();
      recorder?.scorecard(card);
    }
  } finally {
    recorder?.close();
  }

  // A recording made before utterances were read has no readings to compare: it is checked on the rest.
  const readingsRecorded = recording.lines.some((l) => l.type === 'event' && l.event.type === 'candidate_understood');
  for (const [i, segment] of segments.entries()) {
    const recorded = decisions(segment.events);
    const todays = readingsRecorded ? today[i]! : today[i]!.filter((d) => !d.startsWith('read as '));
    // The same verdict and counts with other tests failing is a change too.
    const flipped = flippedTests(
      segment.events.flatMap((e) => (e.type === 'tests_ran' ? [e.run] : [])),
      todaysRuns[i]!,
    );
    if (canonicalJson(recorded) === canonicalJson(todays) && flipped.length === 0) continue;
    diverged(i, { where: where(i), diff: [...diffLines(recorded, todays), ...flipped] });
  }
  // A request that changed because a decision before it did says nothing new: count it, show the rest.
  const decided = new Set(found.map((f) => f.segment));
  const unexplained = misses.filter((m) => ![...decided].some((d) => d <= m.segment));
  for (const miss of unexplained.slice(0, MISSES_SHOWN)) diverged(miss.segment + 0.5, miss.divergence);
  const unshown = misses.length - Math.min(unexplained.length, MISSES_SHOWN);
  if (unshown > 0)
    diverged(segments.length, {
      where: "the interviewer's requests",
      diff: [`+ ${unshown} more requests differ from the recording${unexplained.length < misses.length ? ', following from the decisions above' : ''}`],
    });
  if (recordedCard && card) {
    const diff = diffValues(recordedCard, card);
    if (diff.length > 0) diverged(segments.length, { where: 'the scorecard', diff });
  }
  return { found, llmTurns, environmentError: null };
}

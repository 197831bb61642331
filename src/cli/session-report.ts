import { count, rubricScorecard } from '../interview/scorecard.js';
import type { Scorecard } from '../interview/scorecard.js';
import { initialState, reduce } from '../interview/state.js';
import type { InterviewEvent, InterviewState, TurnTimings } from '../interview/state.js';
import { VettaError } from '../core/errors.js';
import type { EventRecord, LoadedSession, SessionInit, SessionSummary } from '../store/sessions.js';
import type { Language } from '../problems/load.js';

/** A stored session made readable: its state, its scorecard, how long each interviewer turn took. */
export interface SessionReport {
  meta: SessionSummary;
  state: InterviewState;
  /** Only for an interview that reached its end. */
  scorecard: Scorecard | null;
  entries: { event: InterviewEvent; recordedAtMs: number; replyMs: number | null }[];
}

export function sessionReport(session: LoadedSession<InterviewEvent, Language>): SessionReport {
  const state = session.events.reduce(reduce, initialState(session.meta.init));
  const scorecard = state.phase === 'ended' ? rubricScorecard(state, state.phaseStartedAtMs) : null;
  // What the candidate waited: from their words being stored to the interviewer's whole reply being stored.
  let saidAtMs: number | null = null;
  const entries = session.events.map((event, i) => {
    const recordedAtMs = session.recordedAtMs[i]!;
    let replyMs: number | null = null;
    if (event.type === 'candidate_said') saidAtMs = recordedAtMs;
    else if (event.type === 'interviewer_said' && saidAtMs !== null) {
      replyMs = recordedAtMs - saidAtMs;
      saidAtMs = null;
    }
    return { event, recordedAtMs, replyMs };
  });
  return { meta: session.meta, state, scorecard, entries };
}

const pad2 = (n: number) => String(n).padStart(2, '0');

/** 2025-11-26 06:40, local time. */
export function formatTime(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad2(d.getMonth() + 1)}-${pad2(d.getDate())} ${pad2(d.getHours())}:${pad2(d.getMinutes())}`;
}

/** Time into the interview, mm:ss. */
export function clock(atMs: number, startMs: number): string {
  const seconds = Math.max(0, Math.round((atMs - startMs) / 1000));
  return `${pad2(Math.floor(seconds / 60))}:${pad2(seconds % 60)}`;
}

export function formatDuration(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}

const SCORECARD_ROWS = [
  ['problem solving', 'problemSolving'],
  ['code quality', 'codeQuality'],
  ['testing', 'testing'],
  ['communication', 'communication'],
] as const;

/** One line of the transcript for an event, or null for bookkeeping events. */
function transcriptLine(event: InterviewEvent, replyMs: number | null): string | null {
  switch (event.type) {
    case 'candidate_said':
      return `you: ${event.text}`;
    case 'interviewer_said':
      return `interviewer: ${event.text}${replyMs === null ? '' : ` (reply took ${formatDuration(replyMs)})`}`;
    case 'tests_ran':
      return `[${event.run.kind}] ${event.run.verdict}: ${event.run.summary}`;
    case 'hint_given':
      return `[hint: ${event.level}, ${event.reason}]`;
    case 'code_saved':
      return `[code saved: ${count(event.code.split('\n').length, 'line')}]`;
    case 'phase_changed':
      return `[phase: ${event.phase}]`;
    case 'interviewer_interrupted':
      return `[interrupted after: "${event.heard}"]`;
    case 'turn_timed':
      return `[voice: ${timingText(event.timings)}]`;
    default:
      return null;
  }
}

const eventTime = (event: InterviewEvent) => (event.type === 'tests_ran' ? event.run.atMs : event.atMs);

const TIMING_NAMES: [Exclude<keyof TurnTimings, 'marks'>, string][] = [
  ['voiceToVoiceMs', 'voice-to-voice'],
  ['endpointingMs', 'endpointing'],
  ['sttFinalMs', 'final transcript'],
  ['llmFirstTextMs', 'first text'],
  ['ttsFirstAudioMs', 'first audio'],
  ['duckMs', 'duck'],
  ['silenceMs', 'silence'],
];

function timingText(timings: TurnTimings): string {
  return TIMING_NAMES.flatMap(([key, name]) => (timings[key] === undefined ? [] : [`${name} ${Math.round(timings[key])} ms`])).join(', ');
}

/** Median and worst of each spoken-turn timing, one line each. */
function voiceLines(state: SessionReport['state']): string[] {
  return TIMING_NAMES.flatMap(([key, name]) => {
    const values = state.timings.flatMap((t) => (t[key] === undefined ? [] : [t[key]])).sort((a, b) => a - b);
    if (values.length === 0) return [];
    return [
      `${name.padEnd(17)} median ${Math.round(values[Math.floor(values.length / 2)]!)} ms, worst ${Math.round(values.at(-1)!)} ms over ${count(values.length, 'turn')}`,
    ];
  });
}

function latencyLine(report: SessionReport): string | null {
  const replies = report.entries.flatMap((e) => (e.replyMs === null ? [] : [e.replyMs])).sort((a, b) => a - b);
  if (replies.length === 0) return null;
  return `${count(replies.length, 'answer')} to the candidate: median ${formatDuration(replies[Math.floor(replies.length / 2)]!)}, slowest ${formatDuration(replies.at(-1)!)}`;
}

export function renderText(report: SessionReport, location: string): string {
  const { meta, state } = report;
  const start = meta.init.atMs;
  const lines: string[] = [];
  lines.push(`session ${meta.id}`);
  lines.push(
    `${meta.init.problemId} in ${meta.init.language}; started ${formatTime(meta.startedAtMs)}; ${meta.status} (phase ${state.phase}); ${count(meta.eventCount, 'event')}; kept until ${formatTime(meta.expiresAtMs)} in ${location}`,
  );
  lines.push('', 'transcript');
  for (const entry of report.entries) {
    const line = transcriptLine(entry.event, entry.replyMs);
    if (line) lines.push(`  ${clock(eventTime(entry.event), start)}  ${line}`);
  }
  lines.push('', 'code history');
  if (state.codeSnapshots.length === 0) lines.push('  no code written');
  for (const [i, snapshot] of state.codeSnapshots.entries()) {
    lines.push(`  #${i + 1} at ${clock(snapshot.atMs, start)}`);
    for (const codeLine of snapshot.code.replace(/\n$/, '').split('\n')) lines.push(`    | ${codeLine}`);
  }
  lines.push('', 'test runs');
  if (state.testRuns.length === 0) lines.push('  none');
  for (const run of state.testRuns)
    lines.push(`  ${clock(run.atMs, start)}  ${run.kind.padEnd(6)} ${run.verdict.padEnd(14)} ${`${run.passed}/${run.total}`.padEnd(7)} ${run.summary}`);
  lines.push('', 'scorecard');
  if (!report.scorecard) lines.push(`  none: the interview stopped in phase ${state.phase}`);
  else {
    for (const [name, key] of SCORECARD_ROWS) lines.push(`  ${name.padEnd(16)} ${report.scorecard[key].grade}/4  ${report.scorecard[key].note}`);
    const h = report.scorecard.hintsUsed;
    lines.push(
      `  ${'hints'.padEnd(16)} ${count(h.nudge, 'nudge')}, ${count(h.hint, 'hint')}, ${count(h.reveal, 'reveal')}; ${count(report.scorecard.minutes, 'minute')}`,
    );
  }
  lines.push('', 'latency');
  lines.push(`  ${latencyLine(report) ?? 'no replies to time'}`);
  for (const line of voiceLines(state)) lines.push(`  ${line}`);
  return `${lines.join('\n')}\n`;
}

/** The session summary as list --json and export print it: ISO times, the full id. */
export function summaryJson(meta: SessionSummary) {
  const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
  return {
    id: meta.id,
    problem: meta.init.problemId,
    language: meta.init.language,
    started: iso(meta.startedAtMs),
    lastActivity: iso(meta.lastActivityAtMs),
    finished: iso(meta.finishedAtMs),
    phase: meta.phase,
    status: meta.status,
    hints: meta.hints,
    lastVerdict: meta.lastVerdict,
    events: meta.eventCount,
    expires: iso(meta.expiresAtMs),
  };
}

/** Versioned, so a later Vetta can read an export made today. */
export const EXPORT_FORMAT = { format: 'vetta-session', version: 1 } as const;

export function renderJson(report: SessionReport): string {
  return `${JSON.stringify(
    {
      ...EXPORT_FORMAT,
      session: summaryJson(report.meta),
      init: report.meta.init,
      events: report.entries.map((e, seq) => ({
        seq,
        recordedAt: new Date(e.recordedAtMs).toISOString(),
        ...(e.replyMs === null ? {} : { replyMs: e.replyMs }),
        event: e.event,
      })),
      scorecard: report.scorecard,
    },
    null,
    2,
  )}\n`;
}

/** A session as `renderJson` wrote it, for `vetta sessions import`. */
export function parseExport(
  text: string,
  file: string,
): { init: SessionInit<Language>; startedAtMs: number; finishedAtMs: number | null; events: EventRecord<InterviewEvent>[] } {
  let data: {
    format?: unknown;
    version?: unknown;
    init?: SessionInit<Language>;
    session?: { started?: string; finished?: string | null };
    events?: { recordedAt: string; event: InterviewEvent }[];
  };
  try {
    data = JSON.parse(text);
  } catch {
    throw new VettaError('invalid_input', `${file} is not JSON; give a file "vetta sessions export ID --format json" or an interview kept locally wrote`);
  }
  if (data.format !== EXPORT_FORMAT.format) throw new VettaError('invalid_input', `${file} is not a Vetta session (no "format": "${EXPORT_FORMAT.format}")`);
  if (typeof data.version !== 'number' || data.version > EXPORT_FORMAT.version)
    throw new VettaError(
      'invalid_input',
      `${file} is session format ${String(data.version)}, newer than this Vetta reads (${EXPORT_FORMAT.version}): upgrade Vetta`,
    );
  if (!data.init?.sessionId || !data.session?.started || !Array.isArray(data.events))
    throw new VettaError('invalid_input', `${file} lacks the session's "init", "session.started" or "events"; it is damaged`);
  return {
    init: data.init,
    startedAtMs: Date.parse(data.session.started),
    finishedAtMs: data.session.finished ? Date.parse(data.session.finished) : null,
    events: data.events.map((e) => ({ event: e.event, atMs: Date.parse(e.recordedAt) })),
  };
}

const FENCE_LANGUAGE = { python: 'python', javascript: 'javascript', typescript: 'typescript' } as const;

/** A fence longer than any run of backticks in the code, so candidate code cannot close it early. */
function fence(code: string): string {
  const longest = Math.max(2, ...(code.match(/`+/g) ?? []).map((run) => run.length));
  return '`'.repeat(longest + 1);
}

export function renderMarkdown(report: SessionReport): string {
  const { meta, state } = report;
  const start = meta.init.atMs;
  const out: string[] = [];
  out.push(`# Interview: ${meta.init.problemId}`, '');
  out.push(`- Session: \`${meta.id}\``);
  out.push(`- Language: ${meta.init.language}`);
  out.push(`- Started: ${formatTime(meta.startedAtMs)}`);
  out.push(`- Status: ${meta.status}, phase ${state.phase}`);
  out.push(`- Hints: ${state.hintsGiven.length}; last verdict: ${meta.lastVerdict ?? 'none'}`, '');
  out.push('## Transcript', '');
  for (const entry of report.entries) {
    const line = transcriptLine(entry.event, entry.replyMs);
    if (line) out.push(`- \`${clock(eventTime(entry.event), start)}\` ${line.replace(/^(you|interviewer):/, '**$1:**')}`);
  }
  out.push('', '## Code history', '');
  if (state.codeSnapshots.length === 0) out.push('No code written.');
  for (const [i, snapshot] of state.codeSnapshots.entries()) {
    const marks = fence(snapshot.code);
    out.push(`### #${i + 1} at ${clock(snapshot.atMs, start)}`, '', `${marks}${FENCE_LANGUAGE[state.language]}`, snapshot.code.replace(/\n$/, ''), marks, '');
  }
  out.push('', '## Test runs', '');
  if (state.testRuns.length === 0) out.push('None.');
  else {
    out.push('| at | kind | verdict | passed | summary |', '| --- | --- | --- | --- | --- |');
    for (const run of state.testRuns)
      out.push(`| ${clock(run.atMs, start)} | ${run.kind} | ${run.verdict} | ${run.passed}/${run.total} | ${run.summary.replace(/\|/g, '\\|')} |`);
  }
  out.push('', '## Scorecard', '');
  if (!report.scorecard) out.push(`None: the interview stopped in phase ${state.phase}.`);
  else {
    out.push('| area | grade | note |', '| --- | --- | --- |');
    for (const [name, key] of SCORECARD_ROWS) out.push(`| ${name} | ${report.scorecard[key].grade}/4 | ${report.scorecard[key].note} |`);
  }
  const latency = latencyLine(report);
  if (latency) out.push('', '## Latency', '', latency);
  return `${out.join('\n')}\n`;
}

import type { TurnMarks, TurnMetrics } from '../pipeline/metrics.js';
import type { Language } from '../problems/load.js';
import type { Verdict } from '../problems/summary.js';

/**
 * The interview as data: a state and a pure reducer over events. Everything that happens is an
 * event, so a session can be persisted event by event and replayed into the same state.
 */

export const PHASES = ['intro', 'clarify', 'approach', 'code', 'test', 'follow_up', 'wrap_up', 'ended'] as const;
export type Phase = (typeof PHASES)[number];
export type HintLevel = 'nudge' | 'hint' | 'reveal';
export type HintReason = 'asked' | 'stuck' | 'failing';

export interface Turn {
  role: 'interviewer' | 'candidate';
  text: string;
  atMs: number;
  /** The candidate cut the interviewer off: what had been heard of the turn by then. */
  heard?: string;
}

/** One spoken turn's timings, in ms; a stage that did not happen is absent. */
export interface TurnTimings extends TurnMetrics {
  /** A barge-in: from the candidate's onset to the interviewer ducking, and to its silence. */
  duckMs?: number;
  silenceMs?: number;
  /** The stages' marks in ms from the end of the candidate's voice, for the waterfall. */
  marks?: TurnMarks;
}

export interface TestRunRecord {
  kind: 'run' | 'submit';
  verdict: Verdict;
  passed: number;
  total: number;
  summary: string;
  /** The failing visible tests, as the interviewer may quote them. */
  failing: { name: string; input?: unknown; expected?: unknown; actual?: unknown; error?: string }[];
  /** The name of every test that did not pass, hidden ones too (names only): what a replay check
   *  names when a run's outcome changed. Absent in recordings made before it was kept. */
  failed?: string[];
  atMs: number;
}

/** How one candidate utterance was read and answered: what the scorecard and later replies build on. */
export interface Understood {
  intent: string;
  /** What the interviewer did with it (a conduct move, or a hint). */
  move: string;
  /** The properties a clarifying question was about, `!` marking one asked the other way round. */
  properties?: string[];
  /** The approach described and the time it takes. */
  approach?: string[];
  approachTime?: string;
  approachSpace?: string;
  /** A complexity claim: what was claimed. */
  claim?: { time?: string; space?: string };
  /** The claim checked against the code or the approach. */
  claimCheck?: { claimed: string; actual: string; correct: boolean };
  /** The facts the reply rested on (constraints, prepared answers, step counts). */
  facts: string[];
  atMs: number;
  /** How many code snapshots existed when it was said (kept in the state, not recorded): a plan after the last code is about something new. */
  codeVersion?: number;
}

export interface InterviewState {
  sessionId: string;
  problemId: string;
  language: Language;
  startedAtMs: number;
  phase: Phase;
  phaseStartedAtMs: number;
  conversation: Turn[];
  hintsGiven: { level: HintLevel; text: string; reason: HintReason; atMs: number }[];
  codeSnapshots: { code: string; atMs: number }[];
  testRuns: TestRunRecord[];
  /** Failed runs and submissions since the last passing one or the last hint. */
  consecutiveFailures: number;
  /** Failed runs and submissions in a row, hints or not: three call for more than a nudge. */
  failingStreak: number;
  /** Every candidate utterance as it was read, in order. */
  understood: Understood[];
  /** The candidate's answers to follow-up questions. */
  followUpAnswers: number;
  /** The interviewer asked whether the candidate has questions; the next reply closes. */
  questionsInvited: boolean;
  /** The interviewer said how little time is left. */
  timeWarned: boolean;
  /** When the candidate last made progress: a phase change, a hint, a better run. */
  lastProgressAtMs: number;
  /** Until when the candidate counts as working (editing, reading results, talking), not idle. */
  workingUntilMs: number;
  followUpsAsked: number;
  /** The follow-up questions asked, in order. */
  followUps: string[];
  clarificationsAnswered: number;
  /** Per spoken turn, in order. */
  timings: TurnTimings[];
}

export type InterviewEvent =
  | { type: 'candidate_said'; text: string; atMs: number }
  | { type: 'interviewer_said'; text: string; atMs: number }
  | { type: 'editor_opened'; atMs: number }
  | { type: 'code_saved'; code: string; atMs: number }
  | { type: 'tests_ran'; run: TestRunRecord }
  | { type: 'hint_given'; level: HintLevel; text: string; reason: HintReason; atMs: number }
  | { type: 'clarification_answered'; atMs: number }
  /** `question` is absent in recordings made before follow-ups were chosen by time. */
  | { type: 'follow_up_asked'; question?: string; atMs: number }
  | { type: 'phase_changed'; phase: Phase; atMs: number }
  /** The candidate spoke over the interviewer, who stopped having said `heard` of its last turn. */
  | { type: 'interviewer_interrupted'; heard: string; atMs: number }
  | { type: 'turn_timed'; timings: TurnTimings; atMs: number }
  | ({ type: 'candidate_understood' } & Understood)
  | { type: 'questions_invited'; atMs: number }
  | { type: 'time_warned'; atMs: number };

/** Time after an action during which the candidate is busy, not stuck (reading results, typing). */
export const WORKING_GRACE_MS = 45_000;

export function initialState(init: { sessionId: string; problemId: string; language: Language; atMs: number }): InterviewState {
  return {
    ...init,
    startedAtMs: init.atMs,
    phase: 'intro',
    phaseStartedAtMs: init.atMs,
    conversation: [],
    hintsGiven: [],
    codeSnapshots: [],
    testRuns: [],
    consecutiveFailures: 0,
    failingStreak: 0,
    understood: [],
    followUpAnswers: 0,
    questionsInvited: false,
    timeWarned: false,
    lastProgressAtMs: init.atMs,
    workingUntilMs: init.atMs,
    followUpsAsked: 0,
    followUps: [],
    clarificationsAnswered: 0,
    timings: [],
  };
}

const busyUntil = (state: InterviewState, untilMs: number) => Math.max(state.workingUntilMs, untilMs);

export function reduce(state: InterviewState, event: InterviewEvent): InterviewState {
  switch (event.type) {
    case 'candidate_said':
      return {
        ...state,
        conversation: [...state.conversation, { role: 'candidate', text: event.text, atMs: event.atMs }],
        workingUntilMs: busyUntil(state, event.atMs + WORKING_GRACE_MS),
      };
    case 'interviewer_said':
      return { ...state, conversation: [...state.conversation, { role: 'interviewer', text: event.text, atMs: event.atMs }] };
    case 'editor_opened':
      // The editor is open until the code comes back; the grace then runs from the save.
      return { ...state, workingUntilMs: Number.POSITIVE_INFINITY };
    case 'code_saved':
      return {
        ...state,
        codeSnapshots: [...state.codeSnapshots, { code: event.code, atMs: event.atMs }],
        workingUntilMs: event.atMs + WORKING_GRACE_MS,
      };
    case 'tests_ran': {
      const { run } = event;
      const previousBest = Math.max(0, ...state.testRuns.map((r) => r.passed / Math.max(1, r.total)));
      const improved = run.passed / Math.max(1, run.total) > previousBest;
      const passed = run.verdict === 'accepted';
      return {
        ...state,
        testRuns: [...state.testRuns, run],
        consecutiveFailures: passed ? 0 : state.consecutiveFailures + 1,
        failingStreak: passed ? 0 : state.failingStreak + 1,
        lastProgressAtMs: improved || passed ? run.atMs : state.lastProgressAtMs,
        workingUntilMs: busyUntil(state, run.atMs + WORKING_GRACE_MS),
      };
    }
    case 'hint_given':
      return {
        ...state,
        hintsGiven: [...state.hintsGiven, { level: event.level, text: event.text, reason: event.reason, atMs: event.atMs }],
        consecutiveFailures: 0,
        lastProgressAtMs: event.atMs,
      };
    case 'clarification_answered':
      return { ...state, clarificationsAnswered: state.clarificationsAnswered + 1 };
    case 'follow_up_asked':
      return { ...state, followUpsAsked: state.followUpsAsked + 1, followUps: event.question ? [...state.followUps, event.question] : state.followUps };
    case 'interviewer_interrupted': {
      const index = state.conversation.findLastIndex((t) => t.role === 'interviewer');
      if (index < 0) return state;
      const conversation = state.conversation.map((t, i) => (i === index ? { ...t, heard: event.heard } : t));
      return { ...state, conversation };
    }
    case 'candidate_understood': {
      const { type: _type, ...understood } = event;
      return {
        ...state,
        understood: [...state.understood, { ...understood, codeVersion: state.codeSnapshots.length }],
        followUpAnswers: state.followUpAnswers + (state.phase === 'follow_up' ? 1 : 0),
      };
    }
    case 'questions_invited':
      return { ...state, questionsInvited: true };
    case 'time_warned':
      return { ...state, timeWarned: true };
    case 'turn_timed':
      return { ...state, timings: [...state.timings, event.timings] };
    case 'phase_changed':
      if (event.phase === state.phase) return state;
      return { ...state, phase: event.phase, phaseStartedAtMs: event.atMs, lastProgressAtMs: event.atMs };
  }
}

import type { HintLevel, HintReason, InterviewState, TestRunRecord } from './state.js';

/**
 * When the interviewer gives a hint, and which. Deterministic: the same state and clock give the
 * same decision. Hints come in order (every nudge, then every hint, then every reveal), so a reveal
 * never comes before a nudge and a hint, and an explicit ask moves one step, never straight to the
 * answer. Time only counts as "stuck" while the candidate is idle: editing, reading test results
 * and talking keep the clock still. Failing runs escalate by count too: a streak of them skips
 * the remaining nudges. A failing edge case is hinted at by that case, not by the approach.
 */

export interface HintPolicyConfig {
  /** Idle time in the coding phases before the first hint. */
  firstHintAfterIdleMs: number;
  /** Idle time after a hint before the next one. */
  nextHintAfterIdleMs: number;
  /** Failed runs or submissions in a row before the first hint. */
  firstHintAfterFailures: number;
  /** Failed runs or submissions in a row, after a hint, before the next one. */
  nextHintAfterFailures: number;
  /** No automatic hint sooner than this after the previous one. */
  minGapMs: number;
  /** Failed runs in a row, hints or not, after which a hint is at least a "hint", not a nudge. */
  escalateAfterFailures: number;
}

export const DEFAULT_HINT_POLICY: HintPolicyConfig = {
  firstHintAfterIdleMs: 4 * 60_000,
  nextHintAfterIdleMs: 3 * 60_000,
  firstHintAfterFailures: 2,
  nextHintAfterFailures: 2,
  minGapMs: 90_000,
  escalateAfterFailures: 3,
};

export interface ProblemHints {
  nudge: string[];
  hint: string[];
  reveal: string[];
}

export interface HintDecision {
  level: HintLevel;
  text: string;
  reason: HintReason;
}

const ORDER: HintLevel[] = ['nudge', 'hint', 'reveal'];
const AUTOMATIC_PHASES = new Set(['clarify', 'approach', 'code', 'test']);

/** What an edge case looks like in a failing test's input, and the question that points at it. */
function edgeOf(input: unknown, name: string): string | null {
  const args = Array.isArray(input) ? input : [input];
  const label = name.toLowerCase();
  if (args.some((a) => a === '') || /empty string/.test(label)) return 'What does your code return for an empty string?';
  if (args.some((a) => Array.isArray(a) && a.length === 0) || /\bempty\b/.test(label)) return 'What does your code return for an empty input?';
  if (args.some((a) => a === null) || /\bnull\b|\bno nodes\b/.test(label)) return 'What happens when the input has no nodes at all?';
  if (args.some((a) => Array.isArray(a) && a.length === 1) || /\bsingle\b|\bone element\b/.test(label)) return 'What does your code do with a single element?';
  if (args.some((a) => Array.isArray(a) && a.length > 0 && a.every((x) => typeof x === 'number' && x < 0)) || /negative/.test(label))
    return 'What happens when every value is negative?';
  if (/\bdup/.test(label)) return 'What does your code do when a value repeats?';
  return null;
}

/** A hint about the edge case a failing run trips over ("what does your code return for an empty string?"), once. */
export function edgeCaseHint(run: TestRunRecord | undefined, state: InterviewState): string | null {
  if (!run || run.verdict === 'accepted' || run.verdict === 'compile_error') return null;
  const failing = run.failing[0];
  if (!failing) return null;
  const text = edgeOf(failing.input, failing.name);
  if (!text || state.hintsGiven.some((h) => h.text === text)) return null;
  return text;
}

/** The next hint not given yet, in order (from `atLeast` on), or null when all were given. */
export function nextHint(hints: ProblemHints, state: InterviewState, atLeast: HintLevel = 'nudge'): { level: HintLevel; text: string } | null {
  const given = new Set(state.hintsGiven.map((h) => `${h.level}\u0000${h.text}`));
  for (const level of ORDER.slice(ORDER.indexOf(atLeast))) {
    for (const text of hints[level]) if (!given.has(`${level}\u0000${text}`)) return { level, text };
  }
  return null;
}

/** Idle time since the last progress, not counting time the candidate was busy. */
export function idleMs(state: InterviewState, nowMs: number): number {
  const lastHint = state.hintsGiven.at(-1)?.atMs ?? Number.NEGATIVE_INFINITY;
  return Math.max(0, nowMs - Math.max(state.lastProgressAtMs, lastHint, state.workingUntilMs));
}

export function decideHint(
  state: InterviewState,
  hints: ProblemHints,
  nowMs: number,
  options: { asked: boolean },
  config: HintPolicyConfig = DEFAULT_HINT_POLICY,
): HintDecision | null {
  const next = nextHint(hints, state);
  if (options.asked) return next ? { ...next, reason: 'asked' } : null;
  // Automatic hints while the candidate works on the problem: from the first question to the last run.
  if (!AUTOMATIC_PHASES.has(state.phase)) return null;
  const last = state.hintsGiven.at(-1);
  if (last && nowMs - last.atMs < config.minGapMs) return null;
  const first = state.hintsGiven.length === 0;
  const failures = first ? config.firstHintAfterFailures : config.nextHintAfterFailures;
  if (state.consecutiveFailures >= failures) {
    const edge = edgeCaseHint(state.testRuns.at(-1), state);
    if (edge) return { level: 'nudge', text: edge, reason: 'failing' };
    const escalated =
      state.failingStreak >= config.escalateAfterFailures && !state.hintsGiven.some((h) => h.level !== 'nudge') ? nextHint(hints, state, 'hint') : null;
    const hint = escalated ?? next;
    return hint ? { ...hint, reason: 'failing' } : null;
  }
  if (!next) return null;
  // Quiet after a run that passed is deciding whether to submit, not being stuck.
  if (state.testRuns.at(-1)?.verdict === 'accepted') return null;
  const idle = first ? config.firstHintAfterIdleMs : config.nextHintAfterIdleMs;
  if (idleMs(state, nowMs) >= idle) return { ...next, reason: 'stuck' };
  return null;
}

import type { HintLevel, HintReason, InterviewState } from './state.js';

/**
 * When the interviewer gives a hint, and which. Deterministic: the same state and clock give the
 * same decision. Hints come in order (every nudge, then every hint, then every reveal), so a reveal
 * never comes before a nudge and a hint, and an explicit ask moves one step, never straight to the
 * answer. Time only counts as "stuck" while the candidate is idle: editing, reading test results
 * and talking keep the clock still.
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
}

export const DEFAULT_HINT_POLICY: HintPolicyConfig = {
  firstHintAfterIdleMs: 4 * 60_000,
  nextHintAfterIdleMs: 3 * 60_000,
  firstHintAfterFailures: 2,
  nextHintAfterFailures: 2,
  minGapMs: 90_000,
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

/** The next hint not given yet, in order, or null when all were given. */
export function nextHint(hints: ProblemHints, state: InterviewState): { level: HintLevel; text: string } | null {
  const given = new Set(state.hintsGiven.map((h) => `${h.level}\u0000${h.text}`));
  for (const level of ORDER) {
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
  if (!next) return null;
  if (options.asked) return { ...next, reason: 'asked' };
  // Automatic hints only while the candidate is coding or testing.
  if (state.phase !== 'code' && state.phase !== 'test') return null;
  const last = state.hintsGiven.at(-1);
  if (last && nowMs - last.atMs < config.minGapMs) return null;
  const first = state.hintsGiven.length === 0;
  const failures = first ? config.firstHintAfterFailures : config.nextHintAfterFailures;
  if (state.consecutiveFailures >= failures) return { ...next, reason: 'failing' };
  const idle = first ? config.firstHintAfterIdleMs : config.nextHintAfterIdleMs;
  if (idleMs(state, nowMs) >= idle) return { ...next, reason: 'stuck' };
  return null;
}

import type { InterviewState } from './state.js';

/** "1 minute", "3 minutes" */
export function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

/** 1 to 4, as interview rubrics usually grade. */
export type Grade = 1 | 2 | 3 | 4;

export interface Scorecard {
  problemSolving: { grade: Grade; note: string };
  codeQuality: { grade: Grade; note: string };
  testing: { grade: Grade; note: string };
  communication: { grade: Grade; note: string };
  hintsUsed: { nudge: number; hint: number; reveal: number };
  minutes: number;
}

/**
 * The offline scorecard, from what the session shows: the final verdict, how it was reached, how
 * the candidate tested and talked. An LLM brain writes a richer one; this one is the fallback and
 * is deterministic.
 */
export function rubricScorecard(state: InterviewState, endedAtMs: number): Scorecard {
  const hints = { nudge: 0, hint: 0, reveal: 0 };
  for (const h of state.hintsGiven) hints[h.level]++;
  const submits = state.testRuns.filter((r) => r.kind === 'submit');
  const runs = state.testRuns.filter((r) => r.kind === 'run');
  const accepted = submits.some((r) => r.verdict === 'accepted');
  const last = state.testRuns.at(-1);

  let problemSolving: Scorecard['problemSolving'];
  if (accepted && hints.reveal > 0) problemSolving = { grade: 2, note: 'reached a passing solution after the approach was revealed' };
  else if (accepted && hints.hint > 0) problemSolving = { grade: 3, note: 'reached a passing solution with a hint' };
  else if (accepted && hints.nudge > 0) problemSolving = { grade: 3, note: `reached a passing solution after ${count(hints.nudge, 'nudge')}` };
  else if (accepted) problemSolving = { grade: 4, note: 'reached a passing solution on their own' };
  else if (last && last.passed > 0) problemSolving = { grade: 2, note: `partial: the last run ${last.summary}` };
  else problemSolving = { grade: 1, note: 'did not reach a working solution' };

  const timedOut = state.testRuns.some((r) => r.verdict === 'time_limit');
  let codeQuality: Scorecard['codeQuality'];
  if (accepted)
    codeQuality = {
      grade: timedOut ? 3 : 4,
      note: timedOut ? 'correct in the end; an earlier version was too slow for the large inputs' : 'correct and fast enough for the large inputs',
    };
  else if (last?.verdict === 'time_limit') codeQuality = { grade: 2, note: 'correct on small inputs but too slow on the large ones' };
  else
    codeQuality = { grade: state.codeSnapshots.length > 0 ? 2 : 1, note: state.codeSnapshots.length > 0 ? 'code did not pass the tests' : 'no code written' };

  const firstSubmit = state.testRuns.findIndex((r) => r.kind === 'submit');
  const ranBeforeSubmit = firstSubmit > 0 && state.testRuns.slice(0, firstSubmit).some((r) => r.kind === 'run');
  const failedSubmits = submits.filter((r) => r.verdict !== 'accepted').length;
  let testing: Scorecard['testing'];
  if (ranBeforeSubmit && failedSubmits === 0)
    testing = { grade: 4, note: `ran the tests ${count(runs.length, 'time')} before submitting, and the first submission passed` };
  else if (ranBeforeSubmit) testing = { grade: 3, note: `ran the tests before submitting; ${count(failedSubmits, 'submission')} failed` };
  else if (submits.length > 0) testing = { grade: 2, note: 'submitted without running the visible tests first' };
  else if (runs.length > 0) testing = { grade: 2, note: `ran the visible tests ${count(runs.length, 'time')} but never submitted` };
  else testing = { grade: 1, note: 'never ran the tests' };

  // Communication is judged on what was said: clarified, explained an approach, stated its cost.
  const spoke = state.conversation.some((t) => t.role === 'candidate');
  const clarified = state.clarificationsAnswered > 0;
  const explained = state.understood.some((u) => u.intent === 'approach');
  const claims = state.understood.filter((u) => u.claimCheck);
  const stated = claims.length > 0;
  const wrongClaims = claims.filter((u) => !u.claimCheck!.correct).length;
  const did = [
    clarified ? `asked ${count(state.clarificationsAnswered, 'clarifying question')}` : '',
    explained ? 'explained the approach' : '',
    stated ? 'stated its complexity' : '',
  ].filter(Boolean);
  const missed = [
    clarified ? '' : 'asked no clarifying questions',
    explained ? '' : 'never described an approach',
    stated ? '' : 'never stated a complexity',
    wrongClaims ? `${count(wrongClaims, 'complexity claim')} ${wrongClaims === 1 ? 'was' : 'were'} wrong` : '',
  ].filter(Boolean);
  const followUps = state.followUpAnswers > 0 ? `; answered ${count(state.followUpAnswers, 'follow-up')}` : '';
  const points = did.length - (wrongClaims > 0 && stated ? 0.5 : 0);
  let communication: Scorecard['communication'];
  if (!spoke) communication = { grade: 1, note: 'worked in silence' };
  else if (points >= 3) communication = { grade: 4, note: `${did.join(', ')}${followUps}` };
  else if (points >= 2) communication = { grade: 3, note: `${did.join(' and ')}, but ${missed.join(' and ')}${followUps}` };
  else if (did.length > 0) communication = { grade: 2, note: `${did.join(' and ')}, but ${missed.join(' and ')}${followUps}` };
  else communication = { grade: 2, note: `talked, but ${missed.join(', ')}` };

  return { problemSolving, codeQuality, testing, communication, hintsUsed: hints, minutes: Math.round((endedAtMs - state.startedAtMs) / 60_000) };
}

export function scorecardSentence(card: Scorecard): string {
  const hints = card.hintsUsed.nudge + card.hintsUsed.hint + card.hintsUsed.reveal;
  return `Problem solving ${card.problemSolving.grade}/4: ${card.problemSolving.note}. Testing ${card.testing.grade}/4: ${card.testing.note}. ${hints === 0 ? 'No hints used' : `${count(hints, 'hint')} used`}, ${count(card.minutes, 'minute')}.`;
}

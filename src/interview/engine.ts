import { z } from 'zod';
import type { JudgeReport } from '../problems/judge.js';
import { judge } from '../problems/judge.js';
import type { Language, Problem, ProblemTest } from '../problems/load.js';
import { parseConstraints } from '../problems/constraints.js';
import { techniqueNudge } from '../problems/reference.js';
import type { ProblemFacts } from '../problems/constraints.js';
import { ProviderError } from '../providers/errors.js';
import type { Sandbox } from '../core/sandbox.js';
import type { Brain, Instruction, InterviewContext } from './brain.js';
import { estimateCodeTime } from './code-complexity.js';
import { planReply, sayNumber, stuckWithSoundPlan } from './conduct.js';
import type { Reply } from './conduct.js';
import { decideHint, DEFAULT_HINT_POLICY } from './hint-policy.js';
import type { HintPolicyConfig, ProblemHints } from './hint-policy.js';
import { rubricScorecard, scorecardSentence } from './scorecard.js';
import type { Scorecard } from './scorecard.js';
import { initialState, reduce } from './state.js';
import type { InterviewEvent, InterviewState, Phase, TestRunRecord, TurnTimings, Understood } from './state.js';
import { understand } from './understanding.js';

export interface InterviewOptions {
  problem: Problem;
  tests: ProblemTest[];
  language: Language;
  brain: Brain;
  sandbox: Sandbox;
  sessionId: string;
  /** The interview's clock in ms; scripted sessions use a virtual one. */
  now: () => number;
  /** Every event, in order: for the transcript and, later, persistence. */
  onEvent?: (event: InterviewEvent) => void;
  /** The interviewer's words as they stream. */
  onText?: (delta: string) => void;
  /** Said to the user, not part of the interview: a provider failed, the interview falls back. */
  onNotice?: (message: string) => void;
  /** Takes over when the brain fails twice in a row (the offline interviewer). */
  fallbackBrain?: Brain;
  hintPolicy?: HintPolicyConfig;
  signal?: AbortSignal;
  /** The current spoken turn's signal: aborted when the candidate talks over the interviewer. */
  turnSignal?: () => AbortSignal | undefined;
  /** A saved session: the interview continues from the state its events lead to. */
  resumeFrom?: { startedAtMs: number; events: readonly InterviewEvent[] };
  /** The interview's time budget in minutes (45 by default): follow-ups fill it, "that's time" ends it. */
  minutes?: number;
}

export const DEFAULT_MINUTES = 45;
/** Follow-ups go on while at least this much time is left; then the candidate's questions, then the close. */
const FOLLOW_UP_MIN_LEFT_MS = 5 * 60_000;
const QUESTIONS_MIN_LEFT_MS = 60_000;
/** The candidate hears once, while coding, that this much time is left. */
const TIME_WARNING_MS = 5 * 60_000;

/** Follow-ups any problem allows once the problem's own are asked, each skipped when one of those covered its topic. */
const GENERAL_FOLLOW_UPS = [
  { question: 'Which edge cases would you add tests for, and why?', topic: /\bedge cases?\b|\btests? (?:would|should|do) you\b/i },
  { question: 'If the input were too large to fit in memory, what would you change?', topic: /\bmemory\b|\bstream\b|\bdoes not fit\b|\bdisk\b/i },
  { question: 'What was the hardest part to get right, and how did you convince yourself it works?', topic: /\bhardest\b/i },
];

const Assessed = z.object({ grade: z.coerce.number().int().min(1).max(4), note: z.string().min(1).max(400) });
const Assessment = z.object({ problemSolving: Assessed, codeQuality: Assessed, testing: Assessed, communication: Assessed });

/** The four graded parts of a model's JSON answer (code fences and prose around it allowed), or null. */
export function parseAssessment(text: string): Pick<Scorecard, 'problemSolving' | 'codeQuality' | 'testing' | 'communication'> | null {
  const start = text.indexOf('{');
  const end = text.lastIndexOf('}');
  if (start < 0 || end <= start) return null;
  try {
    const parsed = Assessment.safeParse(JSON.parse(text.slice(start, end + 1)));
    return parsed.success ? (parsed.data as Pick<Scorecard, 'problemSolving' | 'codeQuality' | 'testing' | 'communication'>) : null;
  } catch {
    return null;
  }
}

const ORDER: Phase[] = ['intro', 'clarify', 'approach', 'code', 'test', 'follow_up', 'wrap_up', 'ended'];
const before = (a: Phase, b: Phase) => ORDER.indexOf(a) < ORDER.indexOf(b);

/**
 * One interview: candidate actions in, interviewer turns out. The policy decides what happens
 * (answer, hint, follow-up, wrap-up); the brain decides how it is said.
 */
export class Interview {
  state: InterviewState;
  private card: Scorecard | null = null;
  /** A turn is streaming; an interruption during it applies to it once it is recorded. */
  private streaming = false;
  private heardWhenCut: string | null = null;
  private readonly hintPolicy: HintPolicyConfig;
  private brain: Brain;
  readonly facts: ProblemFacts;
  private readonly budgetMs: number;
  private readonly pausedMs: number;

  constructor(private readonly options: InterviewOptions) {
    this.brain = options.brain;
    this.facts = parseConstraints(options.problem.statement);
    this.budgetMs = (options.minutes ?? DEFAULT_MINUTES) * 60_000;
    const init = { sessionId: options.sessionId, problemId: options.problem.id, language: options.language };
    const saved = options.resumeFrom;
    // A resumed interview does not count the time it lay stopped against its budget.
    const lastEvent = saved?.events.findLast((e) => 'atMs' in e) as { atMs: number } | undefined;
    this.pausedMs = saved && lastEvent ? Math.max(0, options.now() - lastEvent.atMs) : 0;
    this.state = saved ? saved.events.reduce(reduce, initialState({ ...init, atMs: saved.startedAtMs })) : initialState({ ...init, atMs: options.now() });
    this.hintPolicy = options.hintPolicy ?? DEFAULT_HINT_POLICY;
  }

  private emit(event: InterviewEvent): void {
    this.state = reduce(this.state, event);
    this.options.onEvent?.(event);
  }

  private enter(phase: Phase): void {
    if (phase !== this.state.phase) this.emit({ type: 'phase_changed', phase, atMs: this.options.now() });
  }

  /**
   * One interviewer turn. A provider that fails mid-turn gets an apology and one more try; failing
   * again, the interview carries on with the fallback brain and says so. The session goes on.
   */
  private async speak(instruction: Instruction): Promise<string> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.speakWith(this.brain, instruction);
      } catch (error) {
        if (!(error instanceof ProviderError) || this.options.signal?.aborted) throw error;
        const fallback = this.options.fallbackBrain;
        if (attempt === 0) {
          this.options.onNotice?.(`${error.message}; trying once more`);
          continue;
        }
        if (!fallback || fallback === this.brain) throw error;
        this.options.onNotice?.(`${error.message}; the offline interviewer takes over for the rest of this interview`);
        this.brain = fallback;
      }
    }
  }

  private context(state: InterviewState = this.state): InterviewContext {
    const { problem } = this.options;
    return {
      problem: {
        id: problem.id,
        title: problem.meta.title,
        statement: problem.statement,
        difficulty: problem.meta.difficulty,
        ...(problem.meta.complexity ? { complexity: problem.meta.complexity } : {}),
        maxInputSize: this.facts.maxInputSize,
      },
      state,
      minutesLeft: Math.max(0, Math.round(this.leftMs(state) / 60_000)),
    };
  }

  /** Time left of the budget, by the interview's clock. */
  private leftMs(state: InterviewState = this.state): number {
    return this.budgetMs - (this.options.now() - state.startedAtMs - this.pausedMs);
  }

  /**
   * The model writes the scorecard, starting from the offline rubric; grades it cannot justify in
   * valid JSON, or a model that fails, leave the rubric's card as it is.
   */
  private async assess(rubric: Scorecard): Promise<Scorecard> {
    let text = '';
    try {
      for await (const part of this.brain.stream({ kind: 'assess', rubric }, this.context(), this.options.signal)) {
        if (part.type === 'text-delta') text += part.text;
      }
    } catch (error) {
      if (!(error instanceof ProviderError)) throw error;
      this.options.onNotice?.(`${error.message}; the scorecard is the offline rubric's`);
      return rubric;
    }
    const written = parseAssessment(text);
    if (!written) {
      this.options.onNotice?.(`${this.brain.name} did not write a usable scorecard; it is the offline rubric's`);
      return rubric;
    }
    return { ...rubric, ...written };
  }

  private async speakWith(brain: Brain, instruction: Instruction): Promise<string> {
    const context = this.context();
    let text = '';
    this.streaming = true;
    try {
      const turn = this.options.turnSignal?.();
      const signal = turn ? (this.options.signal ? AbortSignal.any([this.options.signal, turn]) : turn) : this.options.signal;
      for await (const part of brain.stream(instruction, context, signal)) {
        if (part.type !== 'text-delta') continue;
        text += part.text;
        this.options.onText?.(part.text);
      }
    } catch (error) {
      if (text.trim()) {
        // Half a turn was already said: close it with an apology, so the transcript reads true.
        const apology = ' ... sorry, I lost my train of thought.';
        this.options.onText?.(apology);
        this.emit({ type: 'interviewer_said', text: `${text.trim()}${apology}`, atMs: this.options.now() });
      }
      this.settleTurn();
      throw error;
    }
    this.emit({ type: 'interviewer_said', text: text.trim(), atMs: this.options.now() });
    this.settleTurn();
    return text.trim();
  }

  /** The turn is recorded: an interruption that came while it streamed now applies to it. */
  private settleTurn(): void {
    this.streaming = false;
    const heard = this.heardWhenCut;
    this.heardWhenCut = null;
    if (heard !== null) this.emit({ type: 'interviewer_interrupted', heard, atMs: this.options.now() });
  }

  async start(): Promise<void> {
    await this.speak({ kind: 'introduce' });
    this.enter('clarify');
  }

  /** A resumed interview: the interviewer welcomes the candidate back and picks up the thread. */
  async resume(): Promise<void> {
    const last = this.state.conversation.findLast((t) => t.role === 'interviewer');
    await this.speak({ kind: 'resume', lastInterviewerTurn: last?.text ?? null });
  }

  async say(text: string): Promise<void> {
    const { instruction, reply } = this.answerTo(
      text,
      (event) => this.emit(event),
      () => this.state,
    );
    // "No questions" after the invitation: the close with the scorecard is the reply.
    if (reply?.move === 'close') {
      await this.end();
      return;
    }
    const followingUp = this.state.phase === 'follow_up';
    await this.speak(instruction);
    if (reply?.move === 'answer_their_question') await this.end();
    // A reply that asks something waits for the answer; otherwise the next follow-up comes.
    else if (followingUp && !reply?.text.includes('?')) await this.nextFollowUpOrWrapUp();
  }

  /**
   * The candidate has probably finished saying `text` (the voice stopped, the recognizer's words
   * are in) but the turn is not decided: the brain may start the reply `say(text)` would ask for,
   * on the state `say` would reach. Nothing is recorded; if `say` comes with other words, or the
   * interview moved on meanwhile, the reply is asked afresh.
   */
  anticipate(text: string): void {
    if (this.streaming || !this.brain.anticipate || this.state.phase === 'ended') return;
    let state = this.state;
    const { instruction } = this.answerTo(
      text,
      (event) => (state = reduce(state, event)),
      () => state,
    );
    this.brain.anticipate(instruction, this.context(state));
  }

  /**
   * What `say` records before the interviewer answers, through `record`, and the answer to ask for:
   * the utterance is read, then a request for help climbs the hint ladder and anything else gets
   * the reply the conduct policy plans.
   */
  private answerTo(text: string, record: (event: InterviewEvent) => void, state: () => InterviewState): { instruction: Instruction; reply: Reply | null } {
    const { now, problem } = this.options;
    record({ type: 'candidate_said', text, atMs: now() });
    const reading = understand(text);
    const understood = (move: string, reply?: Reply): Understood => ({
      intent: reading.intent,
      move,
      ...(reading.properties.length ? { properties: reading.properties.map((p) => `${p.inverted ? '!' : ''}${p.property}`) } : {}),
      ...(reading.approach
        ? {
            approach: reading.approach.techniques,
            approachTime: reply?.estimate?.time ?? reading.approach.time.label,
            approachSpace: reply?.estimate?.space ?? reading.approach.space.label,
          }
        : {}),
      ...(reading.claim
        ? { claim: { ...(reading.claim.time ? { time: reading.claim.time.label } : {}), ...(reading.claim.space ? { space: reading.claim.space.label } : {}) } }
        : {}),
      ...(reply?.claimCheck ? { claimCheck: reply.claimCheck } : {}),
      facts: reply?.facts ?? [],
      atMs: now(),
    });
    const context = () => ({ problem, facts: this.facts, state: state(), nowMs: now(), budgetMs: this.budgetMs, codeTime: this.codeTime(state()) });
    const planStands = reading.intent === 'stuck' ? stuckWithSoundPlan(context()) : null;
    if (planStands) {
      record({ type: 'candidate_understood', ...understood(planStands.move, planStands) });
      return { instruction: { kind: 'respond', said: text, reading, reply: planStands }, reply: planStands };
    }
    if ((reading.intent === 'stuck' || reading.intent === 'hint') && state().phase !== 'wrap_up') {
      const decision = decideHint(state(), this.hints(), now(), { asked: true }, this.hintPolicy);
      record({ type: 'candidate_understood', ...understood(decision ? 'give_hint' : 'no_more_hints') });
      if (!decision) return { instruction: { kind: 'no_more_hints', said: text }, reply: null };
      record({ type: 'hint_given', ...decision, atMs: now() });
      return { instruction: { kind: 'give_hint', ...decision, said: text }, reply: null };
    }
    const reply = planReply(reading, text, context());
    record({ type: 'candidate_understood', ...understood(reply.move, reply) });
    if (reading.intent === 'clarify' || (reading.intent === 'question' && reply.move === 'answer')) record({ type: 'clarification_answered', atMs: now() });
    const phase = state().phase;
    if (before(phase, 'approach') && (reading.intent === 'approach' || reading.intent === 'complexity' || reading.intent === 'statement')) {
      record({ type: 'phase_changed', phase: 'approach', atMs: now() });
    }
    return { instruction: { kind: 'respond', said: text, reading, reply }, reply };
  }

  /** The time the latest code takes, read from it. */
  private codeTime(state: InterviewState) {
    const code = state.codeSnapshots.at(-1)?.code;
    return code ? estimateCodeTime(code, this.options.language) : null;
  }

  /** The candidate spoke over the interviewer, who had said `heard` of its turn when it stopped. */
  interrupted(heard: string): void {
    if (this.streaming) this.heardWhenCut = heard;
    else this.emit({ type: 'interviewer_interrupted', heard, atMs: this.options.now() });
  }

  /** A spoken turn's timings, kept with the session. */
  timed(timings: TurnTimings): void {
    this.emit({ type: 'turn_timed', timings, atMs: this.options.now() });
  }

  editorOpened(): void {
    if (before(this.state.phase, 'code')) this.enter('code');
    this.emit({ type: 'editor_opened', atMs: this.options.now() });
  }

  codeSaved(code: string): void {
    if (before(this.state.phase, 'code')) this.enter('code');
    this.emit({ type: 'code_saved', code, atMs: this.options.now() });
  }

  /** Runs the visible tests ("run") or all of them ("submit") on the latest code. */
  async runTests(kind: 'run' | 'submit'): Promise<JudgeReport | null> {
    const code = this.state.codeSnapshots.at(-1)?.code;
    if (code === undefined || code.trim() === '') {
      await this.speak({ kind: 'no_code_yet' });
      return null;
    }
    const { tests, problem, language, sandbox, signal } = this.options;
    const report = await judge(problem, tests, { source: code, language, sandbox, signal, tests: kind === 'run' ? tests.filter((t) => !t.hidden) : tests });
    const run: TestRunRecord = {
      kind,
      verdict: report.verdict,
      passed: report.passed,
      total: report.total,
      summary: report.summary,
      failing: report.tests
        .filter((t) => t.verdict !== 'passed' && !t.hidden)
        .slice(0, 3)
        .map((t) => ({ name: t.name, input: t.input, expected: t.expected, actual: t.actual, ...(t.error ? { error: t.error } : {}) })),
      failed: report.tests.filter((t) => t.verdict !== 'passed').map((t) => t.name),
      atMs: this.options.now(),
    };
    this.emit({ type: 'tests_ran', run });
    this.enter('test');
    // The interviewer sees the visible failures only: hidden tests' names would give them away.
    const { failed: _hiddenToo, ...shown } = run;
    await this.speak({ kind: 'comment_on_run', run: shown });
    if (kind === 'submit' && report.verdict === 'accepted') {
      this.enter('follow_up');
      await this.nextFollowUpOrWrapUp();
    } else {
      await this.maybeHint(false);
    }
    return report;
  }

  async askHint(): Promise<void> {
    const given = await this.maybeHint(true);
    if (!given) await this.speak({ kind: 'no_more_hints' });
  }

  /** Time has passed: "that's time" when the budget is spent, a warning near its end, an automatic hint if the candidate is stuck. */
  async tick(): Promise<void> {
    if (this.state.phase === 'ended') return;
    const left = this.leftMs();
    if (left <= 0) {
      await this.end();
      return;
    }
    const working = this.state.phase === 'code' || this.state.phase === 'test' || this.state.phase === 'approach';
    if (left <= TIME_WARNING_MS && working && !this.state.timeWarned) {
      this.emit({ type: 'time_warned', atMs: this.options.now() });
      await this.speak({ kind: 'time_warning', minutesLeft: Math.max(1, Math.round(left / 60_000)) });
      return;
    }
    await this.maybeHint(false);
  }

  /**
   * The problem's ladder; a problem with none (an imported one not yet given one) gets a short
   * one from its bounds and its tags' techniques, so "give me a hint" is never met with "that's everything".
   */
  private hints(): ProblemHints {
    const own = this.options.problem.meta.hints;
    if (own.nudge.length + own.hint.length + own.reveal.length > 0) return own;
    const n = this.facts.maxInputSize;
    const target = n === null ? null : n >= 10_000 ? 'O(n) or O(n log n)' : n >= 500 ? 'O(n^2) at worst' : null;
    const technique = techniqueNudge(this.options.problem.meta.tags);
    return {
      nudge: [
        n !== null && target
          ? `The input goes up to ${sayNumber(n)}, so aim for ${target}. What would that look like?`
          : 'Start from the simplest correct approach and tell me what it costs.',
        ...(technique ? [technique] : []),
      ],
      hint: ['Take the brute force and ask what work it repeats; what could you remember instead of recomputing?'],
      reveal: [],
    };
  }

  private async maybeHint(asked: boolean): Promise<boolean> {
    const decision = decideHint(this.state, this.hints(), this.options.now(), { asked }, this.hintPolicy);
    if (!decision) return false;
    this.emit({ type: 'hint_given', ...decision, atMs: this.options.now() });
    await this.speak({ kind: 'give_hint', ...decision });
    return true;
  }

  /**
   * After an accepted submission and after each follow-up answer: another follow-up while time
   * allows (the problem's, then general ones; one on complexity is skipped when the candidate
   * already stated it correctly), then the candidate's questions, then the close.
   */
  private async nextFollowUpOrWrapUp(): Promise<void> {
    const left = this.leftMs();
    const stated = this.state.understood.some((u) => u.claimCheck?.correct);
    const asked = new Set(this.state.followUps);
    const own = this.options.problem.meta.follow_ups;
    const general = GENERAL_FOLLOW_UPS.filter((g) => !own.some((q) => g.topic.test(q))).map((g) => g.question);
    const question = [...own, ...general].find((q) => !asked.has(q) && !(stated && /\bcomplexit/i.test(q)));
    if (question && left > FOLLOW_UP_MIN_LEFT_MS) {
      this.emit({ type: 'follow_up_asked', question, atMs: this.options.now() });
      await this.speak({ kind: 'ask_follow_up', question });
      return;
    }
    if (!this.state.questionsInvited && left > QUESTIONS_MIN_LEFT_MS) {
      this.enter('wrap_up');
      this.emit({ type: 'questions_invited', atMs: this.options.now() });
      await this.speak({ kind: 'invite_questions' });
      return;
    }
    await this.end();
  }

  /** Wraps up with the scorecard; calling it again returns the same card. */
  async end(): Promise<Scorecard> {
    if (this.card) return this.card;
    const rubric = rubricScorecard(this.state, this.options.now());
    if (this.state.phase === 'ended') return rubric;
    const card = this.brain.name === 'scripted' ? rubric : await this.assess(rubric);
    this.card = card;
    this.enter('wrap_up');
    await this.speak({ kind: 'wrap_up', scorecardSummary: scorecardSentence(card), timeUp: this.leftMs() <= 0 });
    this.enter('ended');
    return card;
  }
}

import { preview } from '../core/text.js';
import type { ChatMessage } from '../providers/spec.js';
import type { Instruction, InterviewContext } from './brain.js';
import type { Turn } from './state.js';

/**
 * The prompt an LLM interviewer gets for one turn: a system prompt (persona, how to talk, the
 * problem), the state (phase, hints so far, the latest run, the current code), a bounded summary of
 * older turns, the recent turns verbatim, and what to do now. It stays under a fixed token budget
 * however long the interview runs. The model never sees the reference solution, nor a hint the
 * policy has not decided to give.
 */

export interface PromptBudget {
  /** Estimated tokens for the whole prompt. */
  maxTokens: number;
  /** Turns quoted verbatim; older ones are summarised. */
  recentTurns: number;
  /** Characters of the current code shown (its start and its end when longer). */
  codeChars: number;
  /** Characters of the statement shown. */
  statementChars: number;
}

export const DEFAULT_BUDGET: PromptBudget = { maxTokens: 6000, recentTurns: 12, codeChars: 4000, statementChars: 3000 };

export type PromptMessage = ChatMessage;

export interface BuiltPrompt {
  system: string;
  messages: PromptMessage[];
  estimatedTokens: number;
}

/** About four characters a token for English and code; good enough to keep a budget. */
export const estimateTokens = (text: string) => Math.ceil(text.length / 4);

const PERSONA = [
  'You are a calm, experienced software engineer running a live coding interview by voice.',
  'Speak in short, plain sentences: at most three sentences and exactly one question per turn, or none.',
  'Answer clarifying questions from the constraints, with the numbers; when the constraints do not settle something, say so and ask the candidate to state an assumption. Never say "yes" to a question the facts answer "no". Asked what happens in a case ("what if they are all negative?"), say whether the constraints allow it and let the candidate work out the answer.',
  'Push back on an approach that is too slow for the input sizes: say how many steps it would take and ask for better. Push back on one that is wrong for this problem (sorting where the order matters, a greedy rule with a counterexample): give the reason or the counterexample. Confirm a sound approach in one sentence and ask one question.',
  'Check complexity claims: challenge a wrong one once with a question, correct it if it is repeated.',
  'When the candidate is stuck or asks for help, give exactly the hint you are given, no more; never reveal the solution or write code.',
  'Never repeat your previous sentence; vary your wording. Steer off-topic talk back to the problem in one sentence. A candidate thinking aloud ("hmm", "let me think") gets a brief "take your time", no content.',
  'No empty praise: praise only by naming something specific the candidate did.',
  'Do not read code, symbols or Markdown aloud; refer to them in words.',
  'You are told how each utterance was read (its intent, the property asked, the approach and its cost); if the reading is plainly wrong, answer what the candidate actually said.',
].join(' ');

function headAndTail(text: string, max: number): string {
  if (text.length <= max) return text;
  const half = Math.floor(max / 2);
  return `${text.slice(0, half)}\n[... ${text.length - max} characters not shown ...]\n${text.slice(-half)}`;
}

/** What the model is asked to do this turn; hint and answer texts come from the policy. */
export function instructionText(instruction: Instruction): string {
  switch (instruction.kind) {
    case 'introduce':
      return 'Introduce the problem briefly in your own words and invite clarifying questions.';
    case 'resume':
      return `The interview was interrupted and is resuming now.${instruction.lastInterviewerTurn ? ` Your last words were: "${instruction.lastInterviewerTurn}".` : ''} Welcome the candidate back in one sentence and pick up the thread where it was.`;
    case 'respond':
      return respondText(instruction);
    case 'comment_on_run': {
      const r = instruction.run;
      const failing = r.failing
        .map(
          (f) =>
            `${f.name}: input ${preview(f.input, 120)}, expected ${preview(f.expected, 60)}, got ${f.error ? f.error.split('\n').pop() : preview(f.actual, 60)}`,
        )
        .join('; ');
      return `The candidate ${r.kind === 'submit' ? 'submitted' : 'ran the visible tests'}. Result: it ${r.summary}.${failing ? ` Failing visible cases: ${failing}.` : ''} Comment on it without giving the fix away.`;
    }
    case 'give_hint':
      return `${instruction.said ? `The candidate said: "${instruction.said}" (asking for help). ` : ''}Give this ${instruction.level} in your own words, no more than it says: "${instruction.text}"`;
    case 'no_more_hints':
      return `${instruction.said ? `The candidate said: "${instruction.said}" (asking for help). ` : ''}Every hint has been given. Encourage them to reason it through out loud; do not give the answer.`;
    case 'no_code_yet':
      return 'The candidate tried to run code they have not written yet. Tell them to write it first.';
    case 'ask_follow_up':
      return `Ask this follow-up question: "${instruction.question}"`;
    case 'time_warning':
      return `About ${instruction.minutesLeft} minutes are left. Say so, and suggest getting what they have working first.`;
    case 'invite_questions':
      return 'The technical part is over. Ask whether the candidate has any questions for you, in one sentence.';
    case 'wrap_up':
      return `${instruction.timeUp ? 'Time is up. Say so, then close' : 'Close'} the interview kindly in two sentences. The assessment: ${instruction.scorecardSummary}`;
    case 'assess': {
      const { problemSolving, codeQuality, testing, communication } = instruction.rubric;
      return `The interview is over. Grade it as an interviewer writing a scorecard. Answer with JSON only, no prose around it: {"problemSolving":{"grade":1-4,"note":"..."},"codeQuality":{...},"testing":{...},"communication":{...}}. Each note is one specific sentence about what the candidate did, citing the code, the test runs or the conversation; no empty praise. The offline rubric's card, from counts alone, is a starting point you may depart from with reason: ${JSON.stringify({ problemSolving, codeQuality, testing, communication })}.`;
    }
  }
}

/** A candidate turn: their exact words, how they were read, what the policy decided, the facts. */
function respondText(instruction: Extract<Instruction, { kind: 'respond' }>): string {
  const { said, reading, reply } = instruction;
  const read = [`intent ${reading.intent}`];
  if (reading.properties.length)
    read.push(`asking about ${reading.properties.map((p) => `${p.property}${p.inverted ? ' (asked the other way round)' : ''}`).join(', ')}`);
  if (reading.assumption) read.push('stated as an assumption');
  if (reading.approach)
    read.push(`approach: ${reading.approach.techniques.join(' + ')}, about ${reading.approach.time.label} time and ${reading.approach.space.label} space`);
  if (reading.claim)
    read.push(
      `claims ${[reading.claim.time ? `${reading.claim.time.label} time` : '', reading.claim.space ? `${reading.claim.space.label} space` : ''].filter(Boolean).join(' and ')}`,
    );
  const lines = [`The candidate said: "${said}"`, `Read as: ${read.join('; ')}.`, `Decision: ${MOVE_GUIDE[reply.move]}`];
  if (reply.claimCheck)
    lines.push(`Their claim ${reply.claimCheck.claimed} is ${reply.claimCheck.correct ? 'right' : `wrong: it is ${reply.claimCheck.actual}`}.`);
  if (reply.facts.length) lines.push(`Facts: ${reply.facts.join('; ')}.`);
  lines.push(`Suggested reply (say it in your own words, keeping its facts and its one question): "${reply.text}"`);
  return lines.join('\n');
}

const MOVE_GUIDE: Record<Extract<Instruction, { kind: 'respond' }>['reply']['move'], string> = {
  answer: 'answer the clarifying question from the facts; if nothing settles it, ask them to state an assumption.',
  trace_example: 'they described a plan in their own words: ask them to trace it on the first example; do not judge it yet.',
  push_back:
    'push back: the approach is too slow for the input sizes (give the step count) or the facts show it fails (give the counterexample or the reason); ask for something better without saying what.',
  ask_back: 'they asked what happens in a case the problem allows: ask them what the answer should be there; do not say it.',
  ask_complexity: 'confirm the approach in one sentence and ask one question about its cost.',
  confirm_complexity: 'confirm the complexity, saying briefly why it holds.',
  challenge_complexity: 'challenge the complexity claim with one question that makes them count the work; do not give the answer yet.',
  correct_complexity: 'they repeated a wrong complexity claim: correct it, saying why.',
  repeat: 'repeat your last question, in the same or simpler words.',
  steer_back: 'steer back to the problem in one sentence, kindly.',
  time_left: 'tell them how much time is left.',
  explain_tools: 'tell them how to run and submit their code.',
  assess_progress:
    'tell them where their code or approach stands, from the facts, and the next step; do not say whether it is correct beyond what the facts show.',
  language: 'answer which languages they may use.',
  define: "they asked what a term means: answer from the statement's own words.",
  give_feedback: 'they asked how they did: give the assessment so far from the facts, briefly and honestly.',
  point_at_failure: 'they asked why their code fails: name the failing visible case and what it returned, and ask them to trace it; never give the fix.',
  wait: 'they are thinking aloud: say only something like "take your time".',
  invite_code: 'invite them to start coding.',
  acknowledge: 'acknowledge briefly, without content of your own.',
  defer_question: 'keep their question for the end of the interview and go back to the problem.',
  answer_their_question: 'answer their question about the interview briefly and honestly, then thank them.',
  close: 'close the interview.',
};

function stateBlock(context: InterviewContext, budget: PromptBudget): string {
  const { state } = context;
  const minutes = Math.round(((state.conversation.at(-1)?.atMs ?? state.startedAtMs) - state.startedAtMs) / 60_000);
  const lines = [
    `Phase: ${state.phase}. Elapsed: about ${minutes} minutes${context.minutesLeft !== undefined ? `; about ${context.minutesLeft} minutes left` : ''}.`,
  ];
  const levels = state.hintsGiven.map((h) => h.level);
  lines.push(levels.length ? `Hints given so far: ${levels.join(', ')}.` : 'No hints given yet.');
  const last = state.testRuns.at(-1);
  if (last) lines.push(`Latest ${last.kind}: ${last.verdict}, it ${last.summary}. Runs so far: ${state.testRuns.length}.`);
  const code = state.codeSnapshots.at(-1)?.code;
  lines.push(code ? `Current code (${state.language}):\n${headAndTail(code, budget.codeChars)}` : 'No code written yet.');
  return lines.join('\n');
}

/** Older turns in a bounded form: the candidate's last few questions and statements, shortened. */
/** A turn as the model sees it; a turn the candidate cut short says how far it got. */
function spokenTurn(turn: Turn): string {
  const text = preview(turn.text, 1200).replace(/^"|"$/g, '');
  if (turn.heard === undefined) return text;
  return `${preview(turn.heard, 600).replace(/^"|"$/g, '')} [the candidate interrupted here; the rest was never heard: "${preview(turn.text.slice(turn.heard.length), 300).replace(/^"|"$/g, '')}"]`;
}

function olderTurnsSummary(older: InterviewContext['state']['conversation']): string {
  if (older.length === 0) return '';
  const candidate = older.filter((t) => t.role === 'candidate');
  const recent = candidate.slice(-8).map((t) => `- ${preview(t.text, 100).replace(/^"|"$/g, '')}`);
  return `Earlier in the interview (${older.length} turns, summarised): the candidate said, most recently last:\n${recent.join('\n')}`;
}

export function buildPrompt(instruction: Instruction, context: InterviewContext, budget: PromptBudget = DEFAULT_BUDGET): BuiltPrompt {
  const { problem } = context;
  const system = [
    PERSONA,
    `The problem (${problem.difficulty}): ${problem.title}.\n${headAndTail(problem.statement, budget.statementChars)}`,
    problem.maxInputSize ? `By the constraints the largest input size is ${problem.maxInputSize}; about 10^8 simple steps run in a second.` : '',
    problem.complexity
      ? `A strong solution runs in ${problem.complexity.time} time and ${problem.complexity.space} space; do not reveal this unless a hint says so.`
      : '',
  ]
    .filter(Boolean)
    .join('\n\n');
  const conversation = context.state.conversation;
  let recentCount = Math.min(budget.recentTurns, conversation.length);
  let codeChars = budget.codeChars;
  for (;;) {
    const older = conversation.slice(0, conversation.length - recentCount);
    const recent = conversation.slice(conversation.length - recentCount);
    const messages: PromptMessage[] = [];
    const preamble = [stateBlock(context, { ...budget, codeChars }), olderTurnsSummary(older)].filter(Boolean).join('\n\n');
    messages.push({ role: 'user', content: `[Interview state]\n${preamble}` });
    for (const turn of recent) messages.push({ role: turn.role === 'interviewer' ? 'assistant' : 'user', content: spokenTurn(turn) });
    messages.push({ role: 'user', content: `[Your turn] ${instructionText(instruction)}` });
    const estimatedTokens = estimateTokens(system) + messages.reduce((n, m) => n + estimateTokens(m.content) + 4, 0);
    // Over budget: quote fewer turns, then show less code; the instruction and state always stay.
    if (estimatedTokens <= budget.maxTokens || (recentCount === 0 && codeChars <= 500)) return { system, messages, estimatedTokens };
    if (recentCount > 2) recentCount--;
    else if (codeChars > 500) codeChars = Math.floor(codeChars / 2);
    else recentCount = 0;
  }
}

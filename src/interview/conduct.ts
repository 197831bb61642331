import { formatBound } from '../problems/constraints.js';
import type { Bound, ProblemFacts } from '../problems/constraints.js';
import type { Problem } from '../problems/load.js';
import { COSTS, FEASIBLE_STEPS_EXPONENT, inCells, overAlphabet, parseCost, sayStepsExponent, stepsExponent } from './complexity.js';
import type { Cost } from './complexity.js';
import type { InterviewState } from './state.js';
import { rubricScorecard, scorecardSentence } from './scorecard.js';
import { statementProse } from '../problems/statement.js';
import { isQuestion, propertiesMentioned, understand } from './understanding.js';
import type { ApproachEstimate, ComplexityClaim, PropertyAsked, Reading } from './understanding.js';

/**
 * What the interviewer does with what the candidate said: the policy an expert follows, decided
 * here and worded offline; a model gets the same decision and its facts and words it itself.
 * Clarifying questions are answered from the problem's constraints, negation included; an approach
 * is weighed against the largest input; a complexity claim is checked against the code or the
 * approach; one question a turn, and never the same sentence twice in a row.
 */

export const MOVES = [
  'answer',
  'push_back',
  'trace_example',
  'ask_complexity',
  'ask_back',
  'confirm_complexity',
  'challenge_complexity',
  'correct_complexity',
  'repeat',
  'steer_back',
  'time_left',
  'language',
  'explain_tools',
  'assess_progress',
  'point_at_failure',
  'define',
  'give_feedback',
  'wait',
  'invite_code',
  'acknowledge',
  'defer_question',
  'answer_their_question',
  'close',
] as const;
export type Move = (typeof MOVES)[number];

export interface Reply {
  move: Move;
  /** What the offline interviewer says. */
  text: string;
  /** The facts the reply rests on, for a model and for the recording. */
  facts: string[];
  /** A complexity claim checked: whether it held, against what. */
  claimCheck?: { claimed: string; actual: string; correct: boolean };
  /** The approach's cost as this problem counts it (per cell, per operation, the problem's DP), where it differs from the bare reading. */
  estimate?: { time: string; space: string };
}

export interface ConductContext {
  problem: Problem;
  facts: ProblemFacts;
  state: InterviewState;
  nowMs: number;
  /** The interview's time budget. */
  budgetMs: number;
  /** The time the candidate's latest code takes, read from it; null without code. */
  codeTime: Cost | null;
}

// ---------------------------------------------------------------------------------------------
// The input as an interviewer names it

interface Subject {
  name: string;
  /** The question named this input itself ("the new interval"), so another input's bounds do not answer it. */
  named: boolean;
  noun: string;
  unit: string;
  units: string;
}

function subjectOf(said: string, problem: Problem): Subject {
  const params = problem.meta.function?.params ?? problem.meta.design?.constructor ?? [];
  const text = said.toLowerCase();
  const collections = params.filter((p) => /\[\]|string|ListNode|TreeNode/.test(p.type));
  // "newInterval" is said "new interval".
  const mentions = (name: string) => new RegExp(`\\b${name.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase()}\\b|\\b${name.toLowerCase()}\\b`).test(text);
  const chosen = collections.find((p) => mentions(p.name));
  const named = chosen ?? collections[0] ?? params[0];
  if (!named) return { name: 'input', named: false, noun: 'the input', unit: 'element', units: 'elements' };
  const base = { name: named.name, named: chosen !== undefined };
  const t = named.type;
  if (t.endsWith('[][]'))
    return isGrid(problem) ? { ...base, noun: 'the grid', unit: 'row', units: 'rows' } : { ...base, noun: 'the list', unit: 'item', units: 'items' };
  if (t === 'string' || t === 'char[]')
    return { ...base, noun: named.name.length <= 2 ? `the string ${named.name}` : 'the string', unit: 'character', units: 'characters' };
  if (t === 'string[]') return { ...base, noun: 'the list', unit: 'word', units: 'words' };
  if (t === 'TreeNode') return { ...base, noun: 'the tree', unit: 'node', units: 'nodes' };
  if (t === 'ListNode') return { ...base, noun: 'the list', unit: 'node', units: 'nodes' };
  if (t.endsWith('[]')) return { ...base, noun: 'the array', unit: 'element', units: 'elements' };
  return { ...base, noun: named.name, unit: 'value', units: 'values' };
}

function sizeBound(facts: ProblemFacts, subject: Subject, problem: Problem): Bound | undefined {
  const sizes = facts.bounds.filter((b) => b.size);
  const n = subject.name.toLowerCase();
  const own = sizes.find((b) => b.subject.toLowerCase() === `${n}.length` || b.subject.toLowerCase() === `len(${n})`);
  // Another input's bounds do not answer a question about the one named.
  if (own || (subject.named && (problem.meta.function?.params.length ?? 0) > 1)) return own;
  return (
    sizes.find((b) => (subject.unit === 'node' ? /nodes/.test(b.subject) : subject.unit === 'row' ? /^(rows|m)$/.test(b.subject) : false)) ??
    sizes.find((b) => b.subject === 'n' || b.subject.endsWith('.length')) ??
    sizes[0]
  );
}

function valueBound(facts: ProblemFacts, subject: Subject): Bound | undefined {
  const values = facts.bounds.filter((b) => !b.size);
  const n = subject.name.toLowerCase();
  return values.find((b) => b.subject.toLowerCase().startsWith(`${n}[`)) ?? values.find((b) => /node\.val/i.test(b.subject)) ?? values[0];
}

/** 100000 -> "100,000", 10^9 -> "a billion": a bound as it is said. */
export function sayNumber(n: number): string {
  const a = Math.abs(n);
  const sign = n < 0 ? 'minus ' : '';
  if (a >= 1e9 && a % 1e9 === 0) return `${sign}${a === 1e9 ? 'a billion' : `${a / 1e9} billion`}`;
  if (a >= 1e6 && a % 1e6 === 0) return `${sign}${a === 1e6 ? 'a million' : `${a / 1e6} million`}`;
  if (a > 1e12) return `${sign}${formatBound(a)}`;
  return `${n < 0 ? '-' : ''}${a.toLocaleString('en-US')}`;
}

const plural = (n: number, unit: string, units: string) => (n === 1 ? `one ${unit}` : `${sayNumber(n)} ${units}`);

// ---------------------------------------------------------------------------------------------
// Clarifying questions

interface Answer {
  /** Whether the property asked about holds, as asked (the other way round for inverted questions); null when not a yes/no. */
  yes: boolean | null;
  text: string;
  fact: string;
}

const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** A scalar parameter the question names ("what if k is zero?"): its values are what is asked about. */
function scalarNamed(said: string, problem: Problem): string | null {
  const params = problem.meta.function?.params ?? problem.meta.design?.constructor ?? [];
  const words = new Set(said.toLowerCase().match(/[a-z_][a-z0-9_]*/g) ?? []);
  return (
    params.find((p) => /^(int|float|bool|char)$/.test(p.type) && p.name.length > 0 && p.name !== 'a' && p.name !== 'i' && words.has(p.name.toLowerCase()))
      ?.name ?? null
  );
}

function paramNamed(name: string, problem: Problem) {
  const params = problem.meta.function?.params ?? problem.meta.design?.constructor ?? [];
  return params.find((p) => p.name === name) ?? params[0];
}

/** `nums.length <= 10^5` said as "The array nums has 1 to 100,000 elements"; a variable is never capitalised. */
function sayLength(bound: Bound, problem: Problem, first: boolean): string {
  const range = `${bound.min !== undefined ? `from ${sayNumber(bound.min)} ` : ''}up to ${sayNumber(bound.max!)}`;
  const of = /^(\w+)\.length$|^len\((\w+)\)$/.exec(bound.subject);
  const param = of ? paramNamed(of[1] ?? of[2]!, problem) : undefined;
  if (param && param.name === (of![1] ?? of![2])) {
    const [kind, units] = param.type === 'string' ? ['string', 'characters'] : param.type === 'string[]' ? ['list', 'words'] : ['array', 'elements'];
    return `${first ? 'The' : 'the'} ${kind} ${param.name} has ${range} ${units}`;
  }
  if (bound.subject.startsWith('number of ')) return `${first ? 'The' : 'the'} ${bound.subject} goes ${range}`;
  return `${first ? 'Here ' : ''}${bound.subject} goes ${range}`;
}

function answerFromFacts(asked: PropertyAsked, said: string, problem: Problem, facts: ProblemFacts): Answer | null {
  const subject = subjectOf(said, problem);
  const size = sizeBound(facts, subject, problem);
  const scalar = scalarNamed(said, problem);
  // A question about k's values is not about the array's: k's own bound, or nothing.
  const value = scalar ? facts.bounds.find((b) => b.subject === scalar) : valueBound(facts, subject);
  const yesNo = (holds: boolean, because: string, fact: string): Answer => {
    const yes = asked.inverted ? !holds : holds;
    return { yes, text: `${yes ? 'Yes' : 'No'}, ${because}`, fact };
  };
  switch (asked.property) {
    case 'empty': {
      if (!size || size.min === undefined) return null;
      const fact = `${size.subject} >= ${size.min}`;
      if (size.min >= 1)
        return yesNo(
          false,
          `${subject.noun} always has at least ${plural(size.min, subject.unit, subject.units)}${size.max !== undefined ? ` and at most ${sayNumber(size.max)}` : ''}.`,
          fact,
        );
      return yesNo(true, `${subject.noun} can be empty, so handle that case.`, fact);
    }
    case 'negative': {
      if (!value || value.min === undefined) return null;
      const range = `${sayNumber(value.min)} to ${value.max !== undefined ? sayNumber(value.max) : 'any size'}`;
      const fact = `${value.min} <= ${value.subject}${value.max !== undefined ? ` <= ${value.max}` : ''}`;
      if (value.min < 0) return yesNo(true, `values run from ${range}, negatives included.`, fact);
      if (asked.inverted && value.min === 0) return { yes: null, text: `They're never negative, but zero can appear: values run from ${range}.`, fact };
      return yesNo(false, `values run from ${range}${value.min === 0 ? ', so zero can appear but nothing below it' : ''}.`, fact);
    }
    case 'zero': {
      if (!value || value.min === undefined) return null;
      const fact = `${value.min} <= ${value.subject}${value.max !== undefined ? ` <= ${value.max}` : ''}`;
      const zero = value.min <= 0 && (value.max === undefined || value.max >= 0);
      const what = scalar ?? 'every value';
      return yesNo(
        zero,
        zero
          ? `${scalar ?? 'values'} ${scalar ? 'runs' : 'run'} from ${sayNumber(value.min)} to ${value.max !== undefined ? sayNumber(value.max) : 'any size'}, so zero can appear.`
          : `${what} is at least ${sayNumber(value.min)}.`,
        fact,
      );
    }
    case 'duplicates': {
      if (facts.distinct === true) return yesNo(false, 'all the values are distinct.', 'distinct');
      if (facts.distinct === false) return yesNo(true, 'values can repeat.', 'duplicates allowed');
      return { yes: null, text: `Nothing says they're distinct, so your code should handle repeated values.`, fact: 'distinctness not stated' };
    }
    case 'sorted': {
      if (facts.sorted) return yesNo(true, `it's sorted in ${facts.sorted} order.`, `sorted ${facts.sorted}`);
      if (/\bsorted\b/i.test(problem.statement)) return null;
      return yesNo(false, `don't assume any order.`, 'order not stated');
    }
    case 'size': {
      // "How big can target be?" is about target's values.
      if (scalar && value?.max !== undefined)
        return {
          yes: null,
          text: `${scalar} runs from ${sayNumber(value.min ?? 0)} to ${sayNumber(value.max)}.`,
          fact: `${value.min} <= ${scalar} <= ${value.max}`,
        };
      const sizes = facts.bounds.filter((b) => b.size && b.max !== undefined).slice(0, 2);
      if (sizes.length === 0) return null;
      const parts = sizes.map((b, i) => sayLength(b, problem, i === 0));
      return { yes: null, text: `${parts.join(', and ')}.`, fact: sizes.map((b) => `${b.subject} <= ${b.max}`).join(', ') };
    }
    case 'type': {
      const param = paramNamed(subject.name, problem);
      if (!param) return null;
      const element = param.type.replace(/\[\]/g, '');
      const range = value?.max !== undefined ? `, from ${sayNumber(value.min ?? 0)} to ${sayNumber(value.max)}` : '';
      if (element === 'int' || element === 'long') return yesNo(true, `${param.name} holds integers${range}.`, `${param.name}: ${param.type}`);
      if (element === 'float' || element === 'double') return yesNo(false, `${param.name} holds decimal numbers${range}.`, `${param.name}: ${param.type}`);
      return null;
    }
    case 'lengths': {
      const lengths = facts.bounds.filter((b) => b.size && /\.length$|^len\(/.test(b.subject));
      if (lengths.length < 2) return null;
      const same = /\b(?:same|equal) lengths?\b|\.length\s*==\s*\w+\.length/i.test(`${problem.statement}\n${facts.lines.join('\n')}`);
      const names = lengths.map((b) => b.subject.replace(/\.length$|^len\(|\)$/g, ''));
      return yesNo(
        !same,
        same
          ? `${names.join(' and ')} always have the same length.`
          : `${names.join(' and ')} can have different lengths; each goes ${lengths[0]!.min !== undefined ? `from ${sayNumber(lengths[0]!.min)} ` : ''}up to ${sayNumber(lengths[0]!.max ?? 0)}, independently.`,
        lengths.map((b) => `${b.subject} <= ${b.max}`).join(', '),
      );
    }
    case 'value_range': {
      if (!value || value.max === undefined) return null;
      const biggest = Math.max(Math.abs(value.min ?? 0), Math.abs(value.max));
      const total = (facts.maxInputSize ?? 1) * biggest;
      const note =
        total > 2 ** 31 - 1
          ? 'a sum over the whole input can pass 32 bits, so mind overflow in a fixed-width type.'
          : 'even a sum over the whole input fits in 32 bits.';
      return {
        yes: null,
        text: `Values run from ${sayNumber(value.min ?? 0)} to ${sayNumber(value.max)}; ${note}`,
        fact: `${value.min} <= ${value.subject} <= ${value.max}`,
      };
    }
    case 'ties':
      if (facts.uniqueAnswer) return { yes: null, text: `There's exactly one valid answer, so ties don't come up.`, fact: 'the answer is unique' };
      if (/\bin any order\b|\bany (?:of them|valid answer|one of them)\b/i.test(problem.statement))
        return { yes: null, text: 'Any valid answer is fine; the tests accept each of them.', fact: 'any valid answer accepted' };
      return null;
    case 'output_format': {
      const found = /(?:^|[.\n]\s*)(?:[^.\n]*?,\s*)?((?:return|you should return|output)\b[^.\n]*\.)/i.exec(problem.statement.replace(/`/g, ''))?.[1];
      if (!found) return null;
      const sentence = cap(found);
      const any = /\bin any order\b/i.test(problem.statement) && !/\bany order\b/i.test(sentence) ? ' Any order is fine.' : '';
      return { yes: null, text: `${sentence.trim()}${any}`, fact: sentence.trim() };
    }
    case 'libraries':
      return { yes: true, text: `Yes, the standard library is fine; be ready to tell me what the calls you use cost.`, fact: 'standard library allowed' };
    case 'characters':
      if (!facts.characters) return null;
      return { yes: null, text: `Only ${facts.characters}.`, fact: facts.characters };
    case 'in_place':
      return { yes: true, text: `You may change the input if you like; nothing uses it afterwards. Just say that you do.`, fact: 'the input is not reused' };
    case 'single': {
      if (!size || size.min === undefined) return null;
      const possible = size.min <= 1 && (size.max === undefined || size.max >= 1);
      return yesNo(
        possible,
        possible
          ? `${subject.noun} can have a single ${subject.unit}; make sure that case works.`
          : `${subject.noun} always has at least ${plural(size.min, subject.unit, subject.units)}.`,
        `${size.subject} >= ${size.min}`,
      );
    }
    case 'reuse': {
      const reusable =
        /\b(?:may|can) be (?:used|reused|taken|picked|chosen) (?:any number of times|more than once|multiple times|again|repeatedly)\b|\bmay be reused\b|\bcan be reused\b/i.exec(
          problem.statement,
        );
      if (reusable)
        return yesNo(true, `${reusable[0].replace(/^(?:may|can)/i, (m) => m.toLowerCase())}, as the statement says.`.replace(/^/, 'it '), reusable[0]);
      const distinct = /\bi\s*<\s*j\b|\bi\s*!=\s*j\b|\b(?:distinct|different) indices\b|\btwo different (?:indices|elements|positions)\b/i.exec(
        problem.statement,
      );
      if (!distinct) return null;
      return yesNo(false, `a pair needs two different indices (${distinct[0].replace(/\s+/g, ' ')}).`, distinct[0]);
    }
    case 'validity':
      return { yes: null, text: 'No need to validate: the input always meets the constraints.', fact: 'inputs meet the constraints' };
  }
}

type Clarification = Problem['meta']['clarifications'][number];

/**
 * A prepared answer fits when it is about the property asked, asked the same way round; its "Yes" or
 * "No" is kept only when the question is the prepared one in other words.
 */
function preparedFor(asked: PropertyAsked, said: string, clarifications: readonly Clarification[]): string | null {
  for (const c of clarifications) {
    const theirs = understand(c.q).properties.find((p) => p.property === asked.property);
    if (theirs && theirs.inverted === asked.inverted) return withoutVerdict(c, new Set(contentWords(said)));
  }
  return null;
}

const STOP = new Set([
  'the',
  'a',
  'an',
  'is',
  'are',
  'can',
  'i',
  'it',
  'to',
  'of',
  'in',
  'be',
  'do',
  'does',
  'what',
  'if',
  'and',
  'or',
  'we',
  'you',
  'there',
  'will',
  'should',
  'on',
  'at',
]);
const contentWords = (text: string) =>
  text
    .toLowerCase()
    .match(/[a-z0-9]+/g)
    ?.filter((w) => !STOP.has(w)) ?? [];

/** A question about the problem itself ("can I rob two adjacent houses?"): the prepared answer it names by keyword. */
export function preparedByKeyword(question: string, clarifications: readonly Clarification[]): string | null {
  const asked = question.toLowerCase();
  const askedWords = new Set(contentWords(question));
  let best: { score: number; answer: string } | null = null;
  for (const c of clarifications) {
    // A prepared answer to a property question is for the property path, unless this question names no property at all.
    if (understand(c.q).properties.length > 0 && understand(question).properties.length > 0) continue;
    const hits = (c.keywords ?? []).filter((k) => new RegExp(`\\b${k.toLowerCase().replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b`).test(asked)).length;
    const overlap = contentWords(c.q).filter((w) => askedWords.has(w)).length;
    const score = hits * 2 + overlap;
    if ((hits > 0 || overlap >= 2) && (!best || score > best.score)) best = { score, answer: withoutVerdict(c, askedWords) };
  }
  return best?.answer ?? null;
}

/**
 * A prepared "Yes, ..." or "No, ..." answers its own question; asked differently ("can k be larger
 * than ...?" for "is k always valid?") the same yes would be wrong, so only the fact is said.
 */
function withoutVerdict(c: Clarification, askedWords: Set<string>): string {
  const theirs = contentWords(c.q);
  const shared = theirs.filter((w) => askedWords.has(w)).length;
  if (shared >= Math.ceil((theirs.length * 2) / 3)) return c.a;
  const rest = c.a.replace(/^(?:yes|no)\b[,.;:]?\s*(?:and |but )?/i, '');
  if (rest === c.a || rest === '') return c.a;
  // "k is between ..." keeps the variable as it is written.
  return /^[a-z]{1,2}\b|^\S*[_.[]/.test(rest) ? rest : cap(rest);
}

const NEGATION = /\b(?:not|no|never|isn'?t|doesn'?t|don'?t|can'?t|cannot|impossible|missing|absent|none)\b/;

/**
 * "What if the target isn't there?": the statement's own sentence for that case ("..., or [-1, -1]
 * when it does not appear"), chosen by the words it shares with the question, a negation counting
 * as a shared word.
 */
function caseInStatement(said: string, problem: Problem): string | null {
  const prose = statementProse(problem.statement).replace(/`/g, '').replace(/\s+/g, ' ');
  const asked = new Set(contentWords(said).filter((w) => !/^(?:return|returns|happens|happen|what|then)$/.test(w)));
  const negated = NEGATION.test(said.toLowerCase());
  let best: { score: number; sentence: string } | null = null;
  for (const sentence of prose.split(/(?<=[.!?])\s+/)) {
    if (!/\b(?:if|when|otherwise|unless)\b/i.test(sentence) || !/\breturn|\bthe answer is\b/i.test(sentence)) continue;
    const words = new Set(contentWords(sentence));
    const score = [...asked].filter((w) => words.has(w)).length + (negated && NEGATION.test(sentence.toLowerCase()) ? 1 : 0);
    if (score >= 2 && (!best || score > best.score)) best = { score, sentence: sentence.trim() };
  }
  return best?.sentence ?? null;
}

/** A question that names a variable the constraints speak of ("can k be larger than ...?"): those lines. */
function constraintsNaming(said: string, problem: Problem, facts: ProblemFacts): string | null {
  const params = (problem.meta.function?.params ?? problem.meta.design?.constructor ?? []).map((p) => p.name).filter((n) => n !== 'a' && n !== 'i');
  const words = new Set(said.toLowerCase().match(/[a-z_][a-z0-9_]*/g) ?? []);
  const named = params.filter((name) => words.has(name.toLowerCase()));
  const lines = facts.lines.filter((line) => named.some((name) => new RegExp(`(?<![\\w.])${name}(?![\\w\\[])`).test(line)));
  if (lines.length === 0) return null;
  return `The constraints say: ${lines
    .slice(0, 2)
    .map((l) => l.replace(/\.$/, ''))
    .join('; ')}.`;
}

/** "What if k equals the number of unique elements": an input set against something, as a relation. */
const RELATION =
  /\bwhat (?:if|about if|happens if|happens when|about when) ([a-z_]\w*) (?:is )?((?:is )?(?:bigger|larger|greater|more) than|exceeds|equals?|is equal to|is the same as|==|=|is)\b(.*)$/;
/** Words that name the same thing in a question and a constraint line. */
const SAME_AS: Record<string, string> = {
  unique: 'distinct',
  different: 'distinct',
  elements: 'values',
  numbers: 'values',
  size: 'length',
  long: 'length',
  nodes: 'length',
};
const FILLER = new Set(['the', 'a', 'an', 'of', 'number', 'list', 'array', 'in', 'to', 'it', 'its', 'my', 'than', 'then', 'count']);

/**
 * An input set equal to (or past) something the constraints bound it by: "what if n equals the
 * length of the list" with `1 <= n <= length` can happen, "what if k is bigger than the number of
 * distinct values" cannot. The constraint is quoted; what to do in the case is the candidate's.
 */
function relationScenario(said: string, ctx: ConductContext): Reply | null {
  const m = RELATION.exec(said.toLowerCase().replace(/[?.!]+$/, ''));
  if (!m) return null;
  const [, name, relation, rest] = m as unknown as [string, string, string, string];
  const params = (ctx.problem.meta.function?.params ?? ctx.problem.meta.design?.constructor ?? []).map((p) => p.name.toLowerCase());
  if (!params.includes(name)) return null;
  const names = new RegExp(`(?<![\\w.])${name}(?![\\w\\[])`, 'i');
  // The clause about it: "1 <= n <= length" of "The list has between 1 and 10^5 nodes; 1 <= n <= length".
  const line = ctx.facts.lines.flatMap((l) => l.split(/;\s*/)).find((l) => names.test(l));
  if (!line) return null;
  const words = (rest.match(/[a-z]+/g) ?? []).filter((w) => !FILLER.has(w)).map((w) => SAME_AS[w] ?? w);
  const bounded = words.length > 0 && words.some((w) => new RegExp(`\\b${w}`, 'i').test(line));
  const quoted = line.replace(/\.$/, '').replace(/^[A-Z](?=[a-z])/, (c) => c.toLowerCase());
  if (!bounded) return { move: 'answer', text: `The constraints say ${quoted}.`, facts: [quoted] };
  if (/bigger|larger|greater|more|exceeds/.test(relation))
    return { move: 'answer', text: `That can't happen: the constraints say ${quoted}.`, facts: [quoted] };
  return { move: 'ask_back', text: `That can happen: the constraints say ${quoted}. ${vary(SCENARIO_BACK, ctx.state)}`, facts: [quoted] };
}

/** A case the problem allows: what to do in it is the candidate's to work out. */
const SCENARIO_BACK = ['What should your code return then?', 'What would you want to return in that case?', 'What does your approach give for it?'];
const SCENARIO_OPEN = [
  'Good case to think about. What do you think the answer should be?',
  'Worth checking. What would you return, and why?',
  'Good question to ask yourself. Work out the answer for that case: what is it?',
];

const UNSETTLED = [
  "The problem doesn't settle that. What would you assume? Say it, and carry on with it.",
  "That's open. Make a reasonable assumption, tell me what it is, and go on.",
  "Nothing in the problem decides that; state your assumption and we'll go with it.",
];

function answerClarification(reading: Reading, said: string, ctx: ConductContext): Reply {
  const relation = reading.scenario ? relationScenario(said, ctx) : null;
  if (relation) return relation;
  const { problem, facts } = ctx;
  const parts: string[] = [];
  const used: string[] = [];
  let unsettled = false;
  for (const asked of reading.properties.slice(0, 3)) {
    const fromFacts = answerFromFacts(asked, said, problem, facts);
    const prepared = fromFacts ? null : preparedFor(asked, said, problem.meta.clarifications);
    if (fromFacts) {
      const because = fromFacts.text.replace(/^(Yes|No), /, '');
      // An assumption is confirmed or corrected, not answered like a question; a case to handle
      // ("what if they're all negative?") is said to be possible or not, and what to do is theirs.
      const text =
        reading.assumption && fromFacts.yes !== null
          ? `${fromFacts.yes ? "That's safe" : "Don't assume that"}: ${because}`
          : reading.scenario && fromFacts.yes !== null
            ? fromFacts.yes
              ? `That can happen: ${because.replace(/[;,] (?:so )?(?:make sure that case works|handle that case)\.$/, '.')} ${vary(SCENARIO_BACK, ctx.state)}`
              : `That can't happen: ${because}`
            : fromFacts.text;
      parts.push(text);
      used.push(fromFacts.fact);
    } else if (prepared) {
      parts.push(prepared);
      used.push(`prepared: ${prepared}`);
    } else unsettled = true;
  }
  if (parts.length === 0) {
    const quoted = constraintsNaming(said, problem, facts);
    if (quoted) return { move: 'answer', text: quoted, facts: [quoted] };
    return { move: 'answer', text: vary(UNSETTLED, ctx.state), facts: [] };
  }
  if (unsettled && !reading.scenario) parts.push('The rest is your call: state what you assume.');
  return { move: 'answer', text: parts.join(' '), facts: used };
}

// ---------------------------------------------------------------------------------------------
// Approaches and complexity

/** A technique as a sentence says it: "checking every pair", "a hash map". */
const TECHNIQUE_WORDS: Record<string, string> = {
  'every permutation': 'trying every permutation',
  'every subset': 'trying every subset',
  'three nested loops': 'three nested loops',
  'every pair': 'checking every pair',
  'summing every subarray': 'summing every subarray from scratch',
  'recursion without memo': 'plain recursion that tries both choices',
  'recursive walk': 'a recursive walk that visits each node once',
  backtracking: 'backtracking',
  'memoised recursion': 'memoised recursion',
  'dynamic programming': 'dynamic programming',
  sort: 'sorting',
  heap: 'a heap',
  'binary search': 'binary search',
  'binary search per element': 'a binary search per element',
  'hash map': 'a hash map',
  'two pointers': 'two pointers',
  'sliding window': 'a sliding window',
  BFS: 'a BFS',
  DFS: 'a DFS',
  stack: 'a stack',
  'prefix sums': 'prefix sums',
  'one pass': 'one pass',
  'union find': 'union-find',
};

function techniqueName(estimate: ApproachEstimate): string {
  const slow = estimate.techniques.find((t) => /every|nested|without memo/.test(t));
  const names = slow ? [slow] : estimate.techniques;
  return names.map((t) => TECHNIQUE_WORDS[t] ?? t).join(' and ');
}

/** The plan the candidate described last, as recorded. */
const lastPlan = (state: InterviewState) => state.understood.findLast((u) => u.approachTime);

/**
 * "I'm stuck" before any code, after a plan that already meets the problem's bound (a stretch such
 * as constant space went nowhere): the plan is enough, and the ladder's first rung would only send
 * them back to what they found. Null where a hint is what helps.
 */
export function stuckWithSoundPlan(ctx: ConductContext): Reply | null {
  if (!['intro', 'clarify', 'approach'].includes(ctx.state.phase)) return null;
  const plan = lastPlan(ctx.state);
  const cost = plan?.approachTime ? parseCost(plan.approachTime) : null;
  const expected = expectedTime(ctx.problem);
  if (!cost || !expected || cost.rank > expected.rank) return null;
  return {
    move: 'answer',
    text: `Your plan already works: ${cost.label} is as fast as this problem needs. You can code it as it is; which step are you unsure about?`,
    facts: [`the plan is ${cost.label}, the problem's bound is ${expected.label}`],
  };
}

/** The space the problem's best solution needs, where it says. */
const bestSpace = (problem: Problem): Cost | null => (problem.meta.complexity ? parseCost(problem.meta.complexity.space) : null);

/** The cost an approach would have to beat: the problem's stated complexity. */
export function expectedTime(problem: Problem): Cost | null {
  const cost = problem.meta.complexity ? parseCost(problem.meta.complexity.time) : null;
  return cost && isGrid(problem) ? inCells(cost) : cost;
}

/** A problem on a grid (a matrix, not a list of pairs): its size is the cell count, and a walk over every cell is the linear case. */
function isGrid(problem: Problem): boolean {
  return problem.meta.tags.some((t) => /matrix|grid/.test(t)) && (problem.meta.function?.params ?? []).some((p) => p.type.endsWith('[][]'));
}

/** Recursion over a tree, a list or a graph visits each node once; only recursion that branches over choices blows up. */
function walksStructure(problem: Problem): boolean {
  const params = problem.meta.function?.params ?? [];
  return params.some((p) => p.type === 'TreeNode' || p.type === 'ListNode') || problem.meta.tags.some((t) => /tree|linked-list|graph/.test(t));
}

/** A cost as this problem counts it (per cell on a grid). */
const costIn = (cost: Cost, problem: Problem): Cost => (isGrid(problem) ? inCells(cost) : cost);

const FASTER = ['Can you find something faster?', 'How could you avoid redoing that work?', 'What would let you do better than that?'];

/** A tempting wrong approach the problem's author wrote a counterexample for. */
function pitfallFor(said: string, problem: Problem): string | null {
  const t = ` ${said
    .toLowerCase()
    .replace(/[^a-z0-9' ]+/g, ' ')
    .replace(/\s+/g, ' ')} `;
  return problem.meta.pitfalls.find((p) => p.when.some((phrase) => t.includes(` ${phrase.toLowerCase()} `)))?.reply ?? null;
}

/**
 * Why sorting would lose the problem: the statement's own words when the answer depends on the
 * input's order (a contiguous piece, neighbours, one day before another); null when order is free.
 */
export function orderReason(problem: Problem): string | null {
  const s = problem.statement.replace(/## Constraints[\s\S]*/, '').toLowerCase();
  if (/\bcontiguous\b|\bsubarrays?\b|\bsubstrings?\b/.test(s)) return 'the answer is a contiguous piece of the input as given';
  if (/\badjacent\b|\bnext to each other\b|\bneighbou?ring\b/.test(s)) return 'which ones are next to each other is the whole constraint';
  if (/\blater day\b|\bfuture day\b|\bbefore (?:you )?sell|\bbuy(?:ing)? before\b/.test(s))
    return 'you have to buy before you sell, so the order of the days matters';
  if (/\bjump\b[^.]*\bposition\b|\bposition\b[^.]*\bjump\b/.test(s)) return 'each value belongs to its position';
  return null;
}

const IN_ORDER = ['What could you do working through it in its original order?', 'What could you track going through it in order?'];

function respondToApproach(reading: Reading, said: string, ctx: ConductContext): Reply {
  const built = reading.approach && building(reading.approach, ctx.state, ctx.problem);
  const estimate = built && { ...built, time: costIn(built.time, ctx.problem) };
  const reply = weighApproach(reading, estimate, said, ctx);
  if (!estimate || reply.move === 'answer') return reply;
  return estimate.time.label === reading.approach!.time.label && estimate.space.label === reading.approach!.space.label
    ? reply
    : { ...reply, estimate: { time: estimate.time.label, space: estimate.space.label } };
}

/** The reply to a plan, given its cost as this problem counts it. */
function weighApproach(reading: Reading, estimate: ApproachEstimate | undefined, said: string, ctx: ConductContext): Reply {
  const { facts, problem, state } = ctx;
  const pitfall = pitfallFor(said, problem);
  if (pitfall) return { move: 'push_back', text: pitfall, facts: [`pitfall: ${pitfall}`] };
  // "Can I use recursion?" asks leave, not judgement: the plan comes next.
  if (reading.permission)
    return { move: 'answer', text: vary(['You can. How would you do it?', 'Sure. What would it look like for this problem?'], state), facts: [] };
  // A design problem is costed per operation: the candidate says what each one costs.
  if (problem.meta.design && reading.approach && !reading.claim)
    return {
      move: 'ask_complexity',
      text: vary(['That can work. What does each operation cost with it?', 'Okay. What do push, pop and the rest cost then?'], state),
      facts: [`design problem: ${problem.meta.complexity?.time ?? 'cost per operation'}`],
    };
  // A greedy rule is only as good as the argument that it never goes wrong.
  if (reading.approach?.techniques.includes('greedy') && !problem.meta.tags.includes('greedy'))
    return {
      move: 'push_back',
      text: vary(
        [
          'A greedy choice is easy to break. Can you find a small input where it goes wrong, or tell me why it never does?',
          'Before you code it: is there a small input where that greedy choice fails?',
        ],
        state,
      ),
      facts: ["greedy is not among the problem's techniques"],
    };
  const order = estimate?.techniques.includes('sort') ? orderReason(problem) : null;
  if (order && !/\bind(?:ex|ices|exes)\b|\bpositions?\b|\bcopy\b/.test(said.toLowerCase()))
    return {
      move: 'push_back',
      text: `Sorting loses the original order, and here it matters: ${order}. ${vary(IN_ORDER, state)}`,
      facts: [`order matters: ${order}`],
    };
  // A plan no technique names: tracing it on an example shows whether it holds and what it costs.
  if (!estimate && state.phase === 'follow_up') return followUpAnswer(said, ctx);
  if (!estimate)
    return {
      move: 'trace_example',
      text: vary(['Walk me through it on the first example. What does it return?', 'Try it on the first example: what do you get?'], state),
      facts: [],
    };
  const n = facts.maxInputSize;
  const expected = expectedTime(problem);
  // "Checking every substring" is what they said; "every pair" is how it is costed.
  const pieces = /\bsubstrings?\b/.test(said.toLowerCase()) ? 'substring' : /\bsubarrays?\b/.test(said.toLowerCase()) ? 'subarray' : null;
  const name = pieces ? techniqueName(estimate).replace('checking every pair', `checking every ${pieces}`) : techniqueName(estimate);
  const fact = `${estimate.techniques.join(' + ')}: ${estimate.time.label} time`;
  const sizeWords = n !== null ? sizeText(facts) : null;
  if (n !== null && tooSlow(estimate.time, n) && (!expected || estimate.time.rank > expected.rank)) {
    const steps = sayStepsExponent(estimate.time, n, sayNumber(n));
    return {
      move: 'push_back',
      text: `${cap(name)} is ${estimate.time.label}. With ${sizeWords} that's ${steps}, far too slow. ${vary(FASTER, state)}`,
      facts: [fact, `largest input ${n}`, `${steps}`],
    };
  }
  if (expected && estimate.time.rank > expected.rank) {
    const steps = n !== null ? ` at these sizes, ${sayStepsExponent(estimate.time, n, sayNumber(n))}` : '';
    return {
      move: 'push_back',
      text: `${cap(name)} would work${steps}, but it's ${estimate.time.label} and there's a faster way. ${vary(FASTER, state)}`,
      facts: [fact, `expected ${expected.label}`],
    };
  }
  if (reading.claim) return checkClaim(reading.claim, ctx, { time: estimate.time, space: estimate.space }, `That works. `, said);
  const why = isGrid(problem) && estimate.time.rank === 1 ? ', one visit per cell' : '';
  const confirm = `That works: ${name} is ${estimate.time.label}${why}${n !== null && estimate.time.rank >= 1.5 ? `, fine for ${sizeWords}` : ''}.`;
  return {
    move: 'ask_complexity',
    text: `${confirm} ${vary(['What space does it need?', 'And the extra space?', 'How much extra memory does it use?'], state)}`,
    facts: [fact],
  };
}

/**
 * "With prefix sums it'd be n squared": prefix sums alone are a helper for the plan before, taking
 * one loop off summing every subarray, not a plan of their own.
 */
function building(approach: ApproachEstimate, state: InterviewState, problem: Problem): ApproachEstimate {
  // The DP described on a DP problem is taken to be the usual one, at the problem's stated cost.
  const expected = expectedTime(problem);
  if (expected && approach.techniques.length === 1 && approach.techniques[0] === 'dynamic programming' && problem.meta.tags.includes('dynamic-programming'))
    return { ...approach, time: expected };
  if (approach.techniques.includes('recursion without memo') && walksStructure(problem))
    return { techniques: approach.techniques.map((t) => (t === 'recursion without memo' ? 'recursive walk' : t)), time: COSTS.linear, space: COSTS.linear };
  if (approach.techniques.length !== 1 || approach.techniques[0] !== 'prefix sums') return approach;
  const before = [...state.understood].reverse().find((u) => u.approach);
  if (!before?.approach?.some((t) => t === 'every pair' || t === 'summing every subarray')) return approach;
  return { techniques: ['every pair', 'prefix sums'], time: COSTS.quadratic, space: COSTS.linear };
}

/** More steps than a judge's second allows at the largest input. */
const tooSlow = (cost: Cost, n: number) => stepsExponent(cost, n) > FEASIBLE_STEPS_EXPONENT;

/** "nums of length up to 100,000", "up to 100,000 nodes", "n up to 77". */
function sizeText(facts: ProblemFacts): string {
  const bound = facts.bounds.find((b) => b.size && b.max === facts.maxInputSize)!;
  const n = sayNumber(facts.maxInputSize!);
  if (bound.subject.endsWith('.length')) return `${bound.subject.slice(0, -'.length'.length)} of length up to ${n}`;
  if (bound.subject.startsWith('number of ')) return `up to ${n} ${bound.subject.slice('number of '.length)}`;
  return `${bound.subject} up to ${n}`;
}

const WHY: Record<string, string> = {
  'O(1)': 'the work does not grow with the input',
  'O(log n)': 'each step halves what is left',
  'O(n)': 'each element is handled a constant number of times',
  'O(n log n)': 'the sort dominates',
  'O(n^2)': 'for each element the inner loop runs up to n times',
  'O(n^3)': 'three loops nest over the input',
  'O(2^n)': 'each element doubles the number of choices',
  'O(n!)': 'every ordering is tried',
};

function why(cost: Cost): string | undefined {
  if (cost.label === 'O(m·n)') return cost.rank === 1 ? 'each cell is visited a constant number of times' : 'there is one step for each pair of positions';
  return WHY[cost.label];
}

interface Actual {
  cost: Cost;
  /** The space it needs, where known. */
  space?: Cost;
  source: string;
}

/** What the candidate's claim is measured against: their accepted code, else the approach they described. */
function actualCost(ctx: ConductContext, fromApproach: { time: Cost; space: Cost } | null): Actual | null {
  // Per operation, as a design problem states it; an approach's techniques say nothing about that.
  if (ctx.problem.meta.design) {
    const expected = expectedTime(ctx.problem);
    return expected ? { cost: expected, source: 'the problem (per operation)' } : null;
  }
  if (fromApproach) return { cost: fromApproach.time, space: fromApproach.space, source: 'the approach described' };
  const accepted = ctx.state.testRuns.some((r) => r.verdict === 'accepted');
  const lastDescribed = lastPlan(ctx.state);
  // A plan described after the latest code is the one they are talking about now.
  const talkingAboutCode = !(lastDescribed && lastDescribed.codeVersion === ctx.state.codeSnapshots.length && ctx.state.codeSnapshots.length > 0);
  if (ctx.codeTime && talkingAboutCode) return { cost: costIn(ctx.codeTime, ctx.problem), source: 'the code' };
  const expected = expectedTime(ctx.problem);
  if (accepted && expected) return { cost: expected, source: 'the accepted solution' };
  const described = lastPlan(ctx.state);
  const cost = described ? parseCost(described.approachTime!) : null;
  const space = described?.approachSpace ? parseCost(described.approachSpace) : null;
  return cost ? { cost: costIn(cost, ctx.problem), ...(space ? { space } : {}), source: 'the approach described' } : null;
}

/** What a right time claim adds about the space claimed with it. */
function spaceNote(claimed: Cost | undefined, actual: Actual, said: string): string {
  if (!claimed) return '';
  if (!actual.space || claimed.rank === actual.space.rank) return ` And ${claimed.label} space, yes.`;
  // "O(1) since it's only 26 letters" is an argument, not a slip.
  if (/\b(?:since|because|as) /.test(said.toLowerCase())) return '';
  return ` For the space: what do you store, and how big can it get?`;
}

function checkClaim(claim: ComplexityClaim, ctx: ConductContext, fromApproach: { time: Cost; space: Cost } | null, lead = '', said = ''): Reply {
  const actual = actualCost(ctx, fromApproach);
  if (!claim.time) return spaceOnly(claim.space!, ctx, lead, said);
  const claimed = costIn(claim.time, ctx.problem);
  if (!actual) return { move: 'acknowledge', text: `${lead}${claimed.label}, noted. Walk me through why as you go.`.trim(), facts: [] };
  const check = { claimed: claimed.label, actual: actual.cost.label, correct: claimed.rank === actual.cost.rank };
  const fact = `${actual.source} is ${actual.cost.label} time`;
  if (check.correct) {
    const expected = expectedTime(ctx.problem);
    const n = ctx.facts.maxInputSize;
    const slower = expected && actual.cost.rank > expected.rank && ctx.state.codeSnapshots.length === 0;
    // Agreeing on the cost of a slow plan is not approving it: at the largest input it either fits or it does not.
    const next =
      ctx.state.phase === 'follow_up'
        ? ''
        : slower && n !== null && tooSlow(actual.cost, n)
          ? ` With ${sizeText(ctx.facts)} that's ${sayStepsExponent(actual.cost, n, sayNumber(n))}, too slow. ${vary(FASTER, ctx.state)}`
          : slower
            ? ' That would pass; code it, or look for something faster first.'
            : ctx.state.codeSnapshots.length === 0
              ? ' Go ahead and code it.'
              : '';
    return {
      move: 'confirm_complexity',
      text: `${lead}Right, ${actual.cost.label}: ${why(actual.cost) ?? 'that matches the code'}.${spaceNote(claim.space, actual, said)}${next}`.trim(),
      facts: [fact],
      claimCheck: check,
    };
  }
  const challengedBefore = ctx.state.understood.some((u) => u.claimCheck && !u.claimCheck.correct && u.claimCheck.actual === check.actual);
  if (challengedBefore) {
    return {
      move: 'correct_complexity',
      text: `${lead}Not quite: ${why(actual.cost) ?? 'look at how the loops nest'}, so it's ${actual.cost.label} time.`.trim(),
      facts: [fact],
      claimCheck: check,
    };
  }
  const question =
    claimed.rank > actual.cost.rank
      ? actual.cost.rank <= 1
        ? 'How many times is each element visited?'
        : 'Walk me through it: how many times does the inner loop run for each element?'
      : 'How many times does the inner loop run for each element?';
  return { move: 'challenge_complexity', text: `${lead}Are you sure it's ${claimed.label}? ${question}`.trim(), facts: [fact], claimCheck: check };
}

/** "Is there a linear way?", "can it be done in log n?": a question about what is possible, not a claim. */
const POSSIBLE =
  /\b(?:is there|is it possible|possible to|can (?:i|we|you|it|this|that) (?:do|get|make|be done|be solved|solve)|could (?:i|we|it) (?:do|get|be done))\b/;

function possibility(claim: ComplexityClaim, ctx: ConductContext): Reply {
  const time = expectedTime(ctx.problem);
  const space = bestSpace(ctx.problem);
  const asked = [claim.time ? `${claim.time.label} time` : '', claim.space ? `${claim.space.label} space` : ''].filter(Boolean).join(' and ');
  if ((claim.time && !time) || (claim.space && !space))
    return { move: 'answer', text: `Try it and see: what would ${asked} need you to keep track of?`, facts: [] };
  const timeOk = !claim.time || claim.time.rank >= time!.rank;
  const spaceOk = !claim.space || claim.space.rank >= space!.rank;
  if (timeOk && spaceOk)
    return {
      move: 'answer',
      text: `Yes, ${asked} is possible here. ${vary(['What would you need to keep track of as you go?', 'What is the least you need to remember at each step?'], ctx.state)}`,
      facts: [`the best solution is ${time?.label ?? 'unstated'} time and ${space?.label ?? 'unstated'} space`],
    };
  const spaceText = ctx.problem.meta.complexity?.space ?? '';
  if (timeOk && claim.space?.rank === 0 && overAlphabet(spaceText))
    return {
      move: 'answer',
      text: `Only with a fixed alphabet: the counts take ${spaceText}, which is constant if only, say, the 26 lowercase letters can appear. What can appear in these strings?`,
      facts: [`the best solution uses ${spaceText} space`],
    };
  const best = [time ? `${time.label} time` : '', space ? `${space.label} space` : ''].filter(Boolean).join(' and ');
  return { move: 'answer', text: `Not that I know of: ${best} is the best here.`, facts: [`the best solution is ${best}`] };
}

/** "Can I do it in constant space?" is a good instinct to follow where the problem allows it; a statement is noted. */
function spaceOnly(space: Cost, ctx: ConductContext, lead: string, said: string): Reply {
  const best = bestSpace(ctx.problem);
  if (isQuestion(said) && best && space.rank >= best.rank)
    return {
      move: 'answer',
      text: `${lead}It can be done in ${space.label} space. ${vary(['What does each step really need to keep from the ones before?', 'What is the least you need to remember as you go?'], ctx.state)}`.trim(),
      facts: [`the best solution uses ${best.label} space`],
    };
  return { move: 'acknowledge', text: `${lead}Noted, ${space.label} space. Go ahead when you're ready.`.trim(), facts: [] };
}

/** "What's the space?": asked back, about what they described. */
function askComplexityBack(said: string, ctx: ConductContext): Reply {
  const space = /\b(?:space|memory)\b/.test(said.toLowerCase());
  const described = lastPlan(ctx.state);
  const what = described ? 'your approach' : 'the approach you have in mind';
  return {
    move: 'ask_complexity',
    text: space
      ? vary([`You tell me: what does ${what} keep in memory, and how big can it get?`, `Work it out with me: what does ${what} store as it goes?`], ctx.state)
      : vary(
          [`You tell me: how does the work of ${what} grow with n?`, `Work it out with me: how many steps does ${what} take for an input of size n?`],
          ctx.state,
        ),
    facts: [],
  };
}

// ---------------------------------------------------------------------------------------------
// Everything else

/** Picks a wording for a situation that recurs, never the one said last. */
export function vary(options: readonly string[], state: InterviewState): string {
  const said = state.conversation.filter((t) => t.role === 'interviewer').map((t) => t.text);
  const count = said.filter((t) => options.some((o) => t.includes(o))).length;
  const last = said.at(-1) ?? '';
  for (let i = 0; i < options.length; i++) {
    const option = options[(count + i) % options.length]!;
    if (!last.includes(option)) return option;
  }
  return options[0]!;
}

/** "Is this correct?", "should I optimise it?": what the code or the approach so far says, and the next step. */
function assessProgress(ctx: ConductContext): Reply {
  const expected = expectedTime(ctx.problem);
  const n = ctx.facts.maxInputSize;
  if (ctx.codeTime && expected && ctx.codeTime.rank > expected.rank) {
    const steps = n !== null ? `; with ${sizeText(ctx.facts)} that's ${sayStepsExponent(ctx.codeTime, n, sayNumber(n))}` : '';
    return {
      move: 'assess_progress',
      text: `By the look of it the code is ${ctx.codeTime.label}${steps}. Can you do better?`,
      facts: [`the code is ${ctx.codeTime.label}`, `expected ${expected.label}`],
    };
  }
  if (ctx.codeTime)
    return {
      move: 'assess_progress',
      text: `The complexity looks right. Run the tests and let them tell you about correctness.`,
      facts: [`the code is ${ctx.codeTime.label}`],
    };
  const described = lastPlan(ctx.state);
  const planned = described?.approachTime ? parseCost(described.approachTime) : null;
  if (planned && expected) {
    if (planned.rank > expected.rank)
      return {
        move: 'assess_progress',
        text: `Not yet: that's ${planned.label}, and ${expected.label} is possible. ${vary(FASTER, ctx.state)}`,
        facts: [`the approach is ${planned.label}`, `expected ${expected.label}`],
      };
    const space = described?.approachSpace ? parseCost(described.approachSpace) : null;
    const best = bestSpace(ctx.problem);
    const spaceNote = space && best && space.rank > best.rank ? ` The space can still come down to ${best.label}.` : '';
    return {
      move: 'assess_progress',
      text: `The time is as good as it gets, ${expected.label}.${spaceNote || ' Go ahead and code it.'}`,
      facts: [`the approach is ${planned.label}`, `expected ${expected.label}`],
    };
  }
  return { move: 'assess_progress', text: 'Try it on the first example by hand: does it give the expected answer?', facts: [] };
}

/**
 * An answer to a follow-up: acknowledged, and an edge case the constraints rule out is said to be
 * impossible here ("an empty list can't happen: ... at least one"), as an interviewer would.
 */
function followUpAnswer(said: string, ctx: ConductContext): Reply {
  const notes: string[] = [];
  const facts: string[] = [];
  const aboutTests = /\bedge cases?\b|\btests?\b/i.test(ctx.state.followUps.at(-1) ?? '');
  for (const asked of aboutTests ? propertiesMentioned(said) : []) {
    if (asked.inverted || (asked.property !== 'empty' && asked.property !== 'negative' && asked.property !== 'single')) continue;
    const answer = answerFromFacts(asked, said, ctx.problem, ctx.facts);
    if (answer?.yes !== false) continue;
    notes.push(
      `${asked.property === 'empty' ? 'an empty input' : asked.property === 'negative' ? 'negative values' : 'a single element'} can't happen here: ${answer.text.replace(/^No, /, '')}`,
    );
    facts.push(answer.fact);
  }
  if (notes.length) return { move: 'acknowledge', text: `Good list. One note: ${notes.join('; and ')}`, facts };
  return { move: 'acknowledge', text: vary(['Okay, that would do it.', 'Got it.', 'Alright.'], ctx.state), facts: [] };
}

/** "What is a subsequence exactly?": a prepared answer about it, else the statement's own sentence that uses the term. */
function define(term: string, said: string, ctx: ConductContext): Reply {
  const prepared = preparedByKeyword(said, ctx.problem.meta.clarifications);
  if (prepared) return { move: 'define', text: prepared, facts: [`prepared: ${prepared}`] };
  const prose = statementProse(ctx.problem.statement);
  const stem = term.replace(/(?:es|s)$/, '');
  const sentence = prose
    .replace(/`/g, '')
    .replace(/\s+/g, ' ')
    .split(/(?<=[.!?])\s+/)
    .find((s) => s.toLowerCase().includes(stem.toLowerCase()));
  if (sentence) return { move: 'define', text: `In the problem's words: ${sentence.trim()}`, facts: [`statement: ${sentence.trim()}`] };
  return { move: 'define', text: `Tell me what you think ${term} means here, and I'll tell you if that matches.`, facts: [] };
}

/** "Can I do better on space?": against the problem's best space, from what they described. */
function improveSpace(ctx: ConductContext): Reply {
  const best = bestSpace(ctx.problem);
  const described = lastPlan(ctx.state);
  const now = described?.approachSpace ? parseCost(described.approachSpace) : null;
  if (best && (!now || now.rank > best.rank))
    return {
      move: 'answer',
      text: `Yes: it can be done in ${best.label} extra space. ${vary(['What do you really need to keep as you go?', 'Which of the things you store do you actually read again?'], ctx.state)}`,
      facts: [`the best solution uses ${best.label} space`],
    };
  if (best)
    return {
      move: 'answer',
      text: `${best.label} space is as good as it gets here. Go ahead and code it.`,
      facts: [`the best solution uses ${best.label} space`],
    };
  return { move: 'answer', text: 'What do you store now, and which of it do you read again later?', facts: [] };
}

/** "Why is it failing?": what the last run showed, a visible case to trace, never the fix. */
function pointAtFailure(ctx: ConductContext): Reply {
  const run = ctx.state.testRuns.at(-1);
  if (!run) return { move: 'point_at_failure', text: 'Run the tests first: /run shows which visible cases fail.', facts: [] };
  if (run.verdict === 'accepted')
    return {
      move: 'point_at_failure',
      text: `It isn't: the last ${run.kind === 'submit' ? 'submission' : 'run'} ${run.summary}. Which case worries you?`,
      facts: [`last run: ${run.summary}`],
    };
  const failing = run.failing[0];
  if (!failing)
    return { move: 'point_at_failure', text: `The last run ${run.summary}. Which case do you think breaks it?`, facts: [`last run: ${run.summary}`] };
  const shown = (v: unknown) => {
    const text = JSON.stringify(v);
    return text.length > 80 ? `${text.slice(0, 77)}...` : text;
  };
  const returned = failing.error
    ? `it stops with ${failing.error.split('\n')[0]}`
    : `your code returns ${shown(failing.actual)}, expected ${shown(failing.expected)}`;
  return {
    move: 'point_at_failure',
    text: `Look at "${failing.name}": for ${shown(failing.input)} ${returned}. Trace that case by hand: where does it go wrong?`,
    facts: [`failing: ${failing.name}`],
  };
}

/** The interviewer's last question, for "can you repeat that?". */
function lastQuestion(state: InterviewState): string | null {
  const turns = state.conversation.filter((t) => t.role === 'interviewer');
  for (const turn of [...turns].reverse()) {
    const question = turn.text.match(/[^.?!]*\?/g)?.at(-1);
    if (question) return question.trim();
  }
  return turns.at(-1)?.text ?? null;
}

const minutesLeft = (ctx: ConductContext) => Math.max(0, Math.round((ctx.budgetMs - (ctx.nowMs - ctx.state.startedAtMs)) / 60_000));

/** The reply to one utterance that is not a request for help (the engine gives hints); never the last sentence again word for word. */
export function planReply(reading: Reading, said: string, ctx: ConductContext): Reply {
  const reply = decideReply(reading, said, ctx);
  const last = ctx.state.conversation.filter((t) => t.role === 'interviewer').at(-1)?.text;
  if (last !== undefined && reply.text === last) return { ...reply, text: `Same as before: ${reply.text.charAt(0).toLowerCase()}${reply.text.slice(1)}` };
  return reply;
}

function decideReply(reading: Reading, said: string, ctx: ConductContext): Reply {
  const { state, problem } = ctx;
  const coding = state.phase === 'code' || state.phase === 'test';
  switch (reading.intent) {
    case 'clarify':
      return answerClarification(reading, said, ctx);
    case 'question': {
      if (state.phase === 'wrap_up') {
        return {
          move: 'answer_their_question',
          text: "This is a practice interview, so there's no team behind me. In a real one, that's a good thing to ask: how the team reviews code, and what your first month would look like.",
          facts: [],
        };
      }
      const relation = reading.scenario ? relationScenario(said, ctx) : null;
      if (relation) return relation;
      const prepared = preparedByKeyword(said, problem.meta.clarifications);
      if (prepared) return { move: 'answer', text: prepared, facts: [`prepared: ${prepared}`] };
      const settled = reading.scenario ? caseInStatement(said, problem) : null;
      if (settled) return { move: 'answer', text: settled, facts: [`statement: ${settled}`] };
      const quoted = constraintsNaming(said, problem, ctx.facts);
      if (quoted) return { move: 'answer', text: quoted, facts: [quoted] };
      if (/\b(you|your|company|team|job|role|interview|next steps|after)\b/i.test(said)) {
        return { move: 'defer_question', text: "Let's keep that for the end; I'll leave time for your questions. Back to the problem.", facts: [] };
      }
      if (reading.scenario) return { move: 'ask_back', text: vary(SCENARIO_OPEN, state), facts: [] };
      return { move: 'answer', text: vary(UNSETTLED, state), facts: [] };
    }
    case 'approach':
      return respondToApproach(reading, said, ctx);
    case 'complexity':
      if (isQuestion(said) && POSSIBLE.test(said.toLowerCase())) return possibility(reading.claim!, ctx);
      return checkClaim(reading.claim!, ctx, null, '', said);
    case 'complexity_question':
      return askComplexityBack(said, ctx);
    case 'repeat': {
      const question = lastQuestion(state);
      return { move: 'repeat', text: question ? `Sure. ${question}` : `Sure: we're on ${problem.meta.title}. Tell me how you'd approach it.`, facts: [] };
    }
    case 'off_topic':
      return {
        move: 'steer_back',
        text: vary(
          [
            "Let's stay with the problem for now; we can chat at the end.",
            "Let's keep our time for the problem; there'll be a moment at the end.",
            'Back to the problem; we can talk about that afterwards.',
          ],
          state,
        ),
        facts: [],
      };
    case 'rude':
      return {
        move: 'steer_back',
        text: vary(
          ["I hear you; these can be frustrating. Let's take it one step at a time.", "Fair enough, it's a tough one. Let's take it a step at a time."],
          state,
        ),
        facts: [],
      };
    case 'meta_time': {
      const left = minutesLeft(ctx);
      return {
        move: 'time_left',
        text: `About ${left} minute${left === 1 ? '' : 's'} left, so there's time.${coding ? '' : ' Take the time to get the approach right.'}`,
        facts: [`${left} minutes left`],
      };
    }
    case 'meta_tools':
      return { move: 'explain_tools', text: 'Go ahead: /run runs the visible tests, /submit runs them all, and /edit opens your editor.', facts: [] };
    case 'check_in':
      return assessProgress(ctx);
    case 'debug':
      return pointAtFailure(ctx);
    case 'definition':
      return define(reading.term!, said, ctx);
    case 'improve_space':
      return improveSpace(ctx);
    case 'feedback': {
      const card = rubricScorecard(state, ctx.nowMs);
      return {
        move: 'give_feedback',
        text: `The full scorecard comes when we close. So far: ${scorecardSentence(card).replace(/ (?:No hints used|\d+ hints? used), \d+ minutes?\.$/, '')}`,
        facts: [`problem solving ${card.problemSolving.grade}/4`, `testing ${card.testing.grade}/4`],
      };
    }
    case 'meta_language':
      return {
        move: 'language',
        text: `Python, JavaScript or TypeScript; you're set up for ${state.language}. Stick with it unless you have a strong reason.`,
        facts: [],
      };
    case 'thinking':
      return { move: 'wait', text: vary(['Take your time.', 'Sure, take a moment.', 'No rush; think out loud if it helps.'], state), facts: [] };
    case 'ready':
      return {
        move: 'invite_code',
        text: coding ? 'Go ahead.' : vary(['Go ahead and open the editor.', 'Sounds good; open the editor when you are ready.'], state),
        facts: [],
      };
    case 'no':
    case 'yes':
      if (state.phase === 'wrap_up') return { move: 'close', text: 'Thanks for your time today.', facts: [] };
      return { move: 'acknowledge', text: vary(['Okay. Go on.', 'Alright.', 'Okay.'], state), facts: [] };
    case 'statement':
      if (state.phase === 'wrap_up') return { move: 'close', text: 'Thanks, that was a good conversation.', facts: [] };
      if (state.phase === 'follow_up') return followUpAnswer(said, ctx);
      if (coding) return { move: 'acknowledge', text: vary(['Okay.', 'Go on.', 'Alright.'], state), facts: [] };
      // After a pushback the next step is theirs: a new plan, not the first one.
      if (state.understood.at(-1)?.move === 'push_back')
        return { move: 'acknowledge', text: vary(['Right. So what would you do instead?', 'Okay. What would you change?'], state), facts: [] };
      if (state.understood.some((u) => u.intent === 'approach'))
        return { move: 'acknowledge', text: vary(['Okay. Go on.', 'Alright. Keep going.'], state), facts: [] };
      return {
        move: 'acknowledge',
        text: vary(['Go on. How would you approach it?', 'Okay. What approach are you thinking of?', 'Alright. What would your first approach be?'], state),
        facts: [],
      };
    case 'stuck':
    case 'hint':
      throw new Error("hints are the hint policy's, not a reply");
  }
}

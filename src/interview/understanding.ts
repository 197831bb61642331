import { editDistance } from '../core/text.js';
import { COSTS, parseCost } from './complexity.js';
import type { Cost } from './complexity.js';

/**
 * Reads one candidate utterance into what it is (an intent) and its details: which property a
 * clarifying question is about and whether it is asked the other way round ("is it always
 * non-empty?"), the approach described and its cost, a complexity claim. Spoken text arrives
 * without punctuation or capitals, with fillers and the odd typo, so nothing here depends on them.
 * Deterministic and fast (no model): every turn is read, and the reading is recorded.
 */

export const PROPERTIES = [
  'empty',
  'negative',
  'zero',
  'duplicates',
  'sorted',
  'size',
  'value_range',
  'ties',
  'output_format',
  'libraries',
  'characters',
  'in_place',
  'single',
  'validity',
  'type',
  'lengths',
  'reuse',
] as const;
export type Property = (typeof PROPERTIES)[number];

export const INTENTS = [
  'clarify',
  'approach',
  'complexity',
  'complexity_question',
  'stuck',
  'hint',
  'repeat',
  'meta_time',
  'meta_language',
  'meta_tools',
  'check_in',
  'debug',
  'definition',
  'improve_space',
  'feedback',
  'off_topic',
  'rude',
  'thinking',
  'ready',
  'yes',
  'no',
  'question',
  'statement',
] as const;
export type Intent = (typeof INTENTS)[number];

export interface PropertyAsked {
  property: Property;
  /** Asked the other way round: "is it always non-empty?", "are the values distinct?", "all positive?". */
  inverted: boolean;
}

export interface ApproachEstimate {
  /** The techniques heard, e.g. ["every pair"], ["sort", "two pointers"]. */
  techniques: string[];
  time: Cost;
  space: Cost;
}

export interface ComplexityClaim {
  time?: Cost;
  space?: Cost;
}

export interface Reading {
  intent: Intent;
  properties: PropertyAsked[];
  approach?: ApproachEstimate;
  claim?: ComplexityClaim;
  /** Stated as an assumption ("I'll assume no negatives"), not asked. */
  assumption?: boolean;
  /** A case to handle, not a fact to learn: "what if they are all negative?", "what do I return when ...". */
  scenario?: boolean;
  /** Asked as a permission ("can I use recursion?"), not put forward as the plan. */
  permission?: boolean;
  /** The term a definition question asks about: "what is a subsequence exactly" -> "subsequence". */
  term?: string;
}

const FILLERS =
  /^(?:(?:so|um+|uh+|uhm|erm|er|hmm+|okay|ok|alright|right|well|and|also|then|oh|ah|yeah|like|basically|actually|just|quick question|one question|one more question|one more thing|another question|i guess|i wonder(?: if)?|i was wondering(?: if)?|just to (?:check|confirm|clarify)|to clarify|sorry|no wait|no then|no actually|no sorry|no no)[\s,.]+)+/;

/** Words a typo is corrected towards: the ones the rules below hinge on. */
const KEYWORDS = [
  'empty',
  'negative',
  'negatives',
  'duplicate',
  'duplicates',
  'distinct',
  'unique',
  'sorted',
  'positive',
  'integers',
  'overflow',
  'recursion',
  'recursive',
  'memoization',
  'permutations',
  'permutation',
  'subsets',
  'subset',
  'combinations',
  'pointers',
  'pointer',
  'binary',
  'search',
  'window',
  'sliding',
  'dictionary',
  'hashmap',
  'complexity',
  'quadratic',
  'linear',
  'logarithmic',
  'constant',
  'exponential',
  'squared',
  'nested',
  'stuck',
  'hint',
  'repeat',
  'question',
  'characters',
  'lowercase',
  'uppercase',
  'library',
  'libraries',
  'dynamic',
  'programming',
  'greedy',
  'priority',
  'queue',
  'heap',
  'stack',
  'prefix',
  'brute',
  'force',
  'every',
  'length',
];
const KNOWN = new Set([
  ...KEYWORDS,
  'heapq',
  'bisect',
  'counter',
  'python',
  'deque',
  'indexed',
  'the',
  'array',
  'can',
  'values',
  'value',
  'there',
  'input',
  'string',
  'list',
  'numbers',
  'number',
  'element',
  'elements',
]);

/** Two neighbouring letters swapped ("emtpy") count as one slip, as a typist makes it. */
function typoDistance(a: string, b: string): number {
  if (a.length === b.length) {
    const diff = [...a].flatMap((c, i) => (c === b[i] ? [] : [i]));
    if (diff.length === 2 && diff[1] === diff[0]! + 1 && a[diff[0]!] === b[diff[1]!] && a[diff[1]!] === b[diff[0]!]) return 1;
  }
  return editDistance(a, b);
}

function correctTypos(words: string[]): string[] {
  return words.map((w) => {
    if (w.length < 5 || KNOWN.has(w) || /\d/.test(w)) return w;
    const limit = w.length >= 8 ? 2 : 1;
    let best: string | null = null;
    let bestDistance = limit + 1;
    for (const k of KEYWORDS) {
      // A typo rarely gets the first letter wrong; requiring it keeps "heapq" from becoming "heap".
      if (k[0] !== w[0] || Math.abs(k.length - w.length) > limit) continue;
      const d = typoDistance(w, k);
      if (d < bestDistance) [best, bestDistance] = [k, d];
    }
    return best ?? w;
  });
}

/** Lower case, no punctuation but what big-O needs, fillers off the front, typos corrected. */
export function normalise(text: string): string {
  const lowered = text
    .toLowerCase()
    .replace(/[’‘]/g, "'")
    .replace(/[“”"]/g, ' ')
    .replace(/\bo\s*\(\s*/g, ' o(')
    // A recognizer writes the letter as it sounds: "oh of n", "big oh of n squared", "owe n".
    .replace(/\b(?:big )?(?:oh|owe)\b(?= of (?:n|one|1|log|k|m|v|two|2)\b| (?:n|log n|n log n|n squared)\b)/g, 'o')
    // Spoken "o n", "o one", "o log n": the "of" is swallowed.
    .replace(/\bo (?=(?:n|one|1|log|k|m|v|two|2|n\^2)\b)/g, 'o of ')
    .replace(/[?!;,]+/g, ' ')
    .replace(/\.(?!\d)/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  const words = correctTypos(lowered.split(' ')).join(' ');
  return words.replace(FILLERS, '').trim();
}

const QUESTION_START = /^(what|what's|whats|how|can|could|should|is|are|do|does|did|will|would|may|might|which|why|where|when|if|am i|have|has|shall)\b/;

/** A question, punctuated or not: a question mark, or the first words of one. */
export function isQuestion(raw: string, normalised = normalise(raw)): boolean {
  return /\?\s*$/.test(raw.trim()) || QUESTION_START.test(normalised) || /\b(right|correct|yes or no|or not)$/.test(normalised);
}

/** Words that negate what follows within a few words: "not", "without", "instead of", ... */
const NEGATOR = /\b(not|no|without|instead of|rather than|avoid|avoiding|better than|other than|don't|dont|won't|wont|never|than)\b/;

/** Turned down in the words after it: "greedy doesn't work", "sorting would be too slow". */
const REJECTED_AFTER =
  /^\S*(?: \S+)?? (?:doesn'?t|does not|won'?t|will not|wouldn'?t|would not|can'?t|cannot) work\b|^\S*(?: \S+)?? (?:fails|is wrong|(?:is|would be) too slow|is not (?:it|right))\b/;

/** Negated when one of the three words before it negates it ("instead of checking every pair"), or turned down after it. */
function negatedAt(text: string, index: number): boolean {
  const before = text.slice(0, index).trim().split(' ').slice(-3).join(' ');
  return NEGATOR.test(before) || REJECTED_AFTER.test(text.slice(index));
}

interface PropertyRule {
  property: Property;
  ask: RegExp;
  /** The question asked the other way round: the answer's yes and no swap. */
  inverted?: RegExp;
}

const COLLECTION =
  '(?:array|list|input|string|strings|tree|grid|matrix|nums|it|houses|prices|numbers|elements|values|items|nodes|word|words|intervals|heights|stack)';

const PROPERTY_RULES: PropertyRule[] = [
  {
    property: 'empty',
    ask: new RegExp(
      `\\bempty\\b|\\bnon-?empty\\b|\\bat least (?:one|1)\\b|\\b(?:no|zero) (?:elements|items|numbers|houses|nodes|characters|prices|intervals|values)\\b|\\b(?:length|size) (?:of )?(?:zero|0)\\b|\\b(?:zero|0)[- ]length\\b|\\bnull\\b|\\bnone (?:input|root)\\b|\\bnothing in (?:it|the ${COLLECTION})\\b|\\bblank\\b|\\b${COLLECTION} (?:have|has|contain|contains) nothing\\b`,
    ),
    inverted:
      /\bnon-?empty\b|\bat least (?:one|1)\b|\balways (?:have|has|be|contain|contains|get)\b|\bguaranteed\b|\bnever (?:be )?empty\b|\bnot (?:be )?empty\b|\bisn'?t empty\b|\bwon'?t be empty\b|\baren'?t empty\b/,
  },
  {
    property: 'negative',
    ask: /\bnegatives?\b|\bbelow (?:zero|0)\b|\bless than (?:zero|0)\b|\bminus\b|\bnon-?negative\b|\bpositive\b|\bsigned\b/,
    inverted:
      /\bnon-?negative\b|\b(?:only|all|always|strictly) (?:be )?(?:positive|non-?negative)\b|\bpositive (?:only|numbers only)\b|\bat least (?:zero|0)\b|\bnever negative\b|\bno negatives?\b|\bare (?:the )?(?:values|numbers|amounts|prices|elements|integers) positive\b|\bpositive (?:integers|numbers|values)\b|\bare (?:all )?(?:the )?(?:values|numbers|amounts|prices|elements|integers|heights) (?:all )?positive\b/,
  },
  {
    property: 'duplicates',
    ask: /\bduplicates?\b|\bduplicated\b|(?<!number of )(?<!count of )\bdistinct\b(?= (?:values|numbers|elements|integers)?\s*$| (?:values|numbers|elements|integers) (?:only|in)\b)|\brepeat(?:ed|s)? (?:values|numbers|elements|characters|letters|words)\b|\b(?:values|numbers|elements) repeat\b|\bsame (?:value|number|element|word) (?:twice|more than once|again)\b|\b(?:are|is|be) (?:all )?(?:the )?(?:\w+ )?distinct\b|\bunique (?:values|numbers|elements|integers)\b|\b(?:values|numbers|elements|integers) (?:be |are )?unique\b|\bappear (?:more than once|twice)\b|\ball (?:the )?(?:numbers|values|elements|prices|heights) (?:are |be )?(?:the )?same\b/,
    inverted: /\bdistinct\b|\bunique\b|\bno duplicates?\b|\bwithout duplicates?\b/,
  },
  {
    property: 'sorted',
    ask: /\bsorted\b|\bin (?:sorted |increasing |ascending )?order\b|\bascending\b|\bdescending\b|\bincreasing\b|\bdecreasing\b/,
    inverted: /\bunsorted\b|\bnot sorted\b|\brandom order\b|\bany order\b/,
  },
  {
    property: 'value_range',
    ask: /\bhow (?:big|large|small|high|low) (?:can |do |are |is |will |could )?(?:the )?(?:values?|numbers?|amounts?|prices?|elements?|integers?|heights?|money)\b|\brange of (?:the )?(?:values|numbers|elements|integers)\b|\boverflow\b|\b(?:32|64)[- ]?bit\b|\bfit in (?:an? )?(?:int|integer|long)\b|\bmax(?:imum)? (?:value|number|amount|price)\b|\blargest (?:value|number|amount|price)\b|\bvalue range\b|\bhow big do the numbers\b/,
  },
  {
    property: 'size',
    ask: /\bhow (?:big|large|long|many)\b|\bhuge\b|\bvery (?:large|long|big)\b|\bsize\b|\bmax(?:imum)? (?:length|size)\b|\binput size\b|\bconstraints?\b|\bbounds?\b|\blimits?\b|\bhow (?:big|large) (?:is|can|will) n\b|\blength of (?:the )?(?:array|list|string|input)\b|\blong (?:can|is|will) (?:the )?(?:array|list|string|input)\b/,
  },
  {
    property: 'zero',
    ask: /\b(?:zeros?|0)\b(?![- ]?(?:length|indexed|based))|\bnothing in a house\b/,
  },
  {
    property: 'ties',
    ask: /\bties?\b|\btied\b|\bmore than one (?:answer|solution|way|result|valid)\b|\bmultiple (?:answers|solutions|valid|results|possible)\b|\bseveral (?:answers|solutions|valid)\b|\bwhich one (?:do|should) i (?:return|pick)\b|\bany of them\b|\bif two (?:are|have) the same\b|\bsame frequency\b/,
  },
  {
    property: 'output_format',
    ask: /\bwhat (?:should|do|would) (?:i|we) (?:return|output)\b|\breturn (?:type|format|value)\b|\bin (?:any|what|which) order\b|\b(?:what|which) order (?:should|do|does|is|are|will)\b|\border of the (?:output|result|answer)\b|\boutput format\b|\bindices or (?:the )?values\b|\b(?:zero|one|0|1)[- ]?(?:indexed|based)\b|\bformat of the (?:output|answer|result)\b|\bshould (?:the function|it|i) (?:return|output|print)\b|\bprint or return\b|\bwhat (?:does|do|should|will) (?:the function|the method|my function|it|this|we|i) (?:return|output)(?: again)?$|\bwhat(?:'s| is) the (?:return value|output|expected output|expected result)\b|\bwhat am i (?:returning|supposed to return)\b|\breturn (?:a |the )?(?:list|array|count|number|string|boolean|bool)\b/,
  },
  {
    property: 'libraries',
    ask: /\blibrar(?:y|ies)\b|\bbuilt[- ]?in\b|\bstandard library\b|\bstdlib\b|\bimport\b|\bcollections\b|\bheapq\b|\bcounter\b|\bbisect\b|\bitertools\b|\bcan i (?:just )?use (?:the )?(?:sort|sorted|set|sets|map|dict|dictionary|hash ?map|hash ?set|a hash ?map|a set|a dictionary|a heap|a deque|python's|javascript's|js|array\.sort|math)\b|\bam i allowed to use\b|\bis it ok(?:ay)? (?:if i|to) use\b/,
  },
  {
    property: 'characters',
    ask: /\blower ?case\b|\bupper ?case\b|\bcharacters?\b|\bletters?\b|\bascii\b|\bunicode\b|\bspaces?\b|\bdigits?\b|\bspecial characters\b|\bpunctuation\b|\bcase[- ]sensitive\b/,
  },
  {
    property: 'single',
    ask: /\b(?:only|just) (?:has |have |contains? )?(?:one|1|a single) (?:element|number|item|house|price|character|char|node|value|day|word|interval|bar)\b|\bsingle (?:element|number|item|house|price|character|node|value|day|word|interval|bar)\b|\b(?:length|size) (?:of )?(?:one|1)\b/,
  },
  {
    property: 'validity',
    ask: /\b(?:invalid|malformed|bad|wrong|garbage) inputs?\b|\bvalidate (?:the )?inputs?\b|\binput validation\b|\berror handling\b|\bcheck (?:the input|for invalid)\b/,
  },
  {
    // "Are they integers?", "can prices be decimals?": the element type, asked the other way round when it names fractions.
    property: 'type',
    ask: /\b(?:list|array) of (?:ints|integers|numbers|floats|doubles|strings)\b|\b(?:ints|integers?|whole numbers|floats?|floating[- ]point|decimals?|doubles?|fractions?|fractional|real numbers)\b|\b(?:what|which) (?:data )?type\b|\bdata type\b/,
    inverted: /\b(?:floats?|floating[- ]point|decimals?|doubles?|fractions?|fractional|real numbers)\b/,
  },
  {
    property: 'lengths',
    ask: /\b(?:different|same|equal|unequal|differing) (?:lengths?|sizes?)\b|\b(?:lengths?|sizes?) (?:differ|be different|are different|match|the same|be the same)\b/,
    inverted: /\b(?:same|equal) (?:lengths?|sizes?)\b|\b(?:lengths?|sizes?) (?:match|the same|be the same)\b/,
  },
  {
    property: 'reuse',
    ask: /\bsame (?:index|indices|element|number|item|position|value|entry) (?:twice|more than once|again)\b|\b(?:use|pick|take|count) (?:an?|the same|one) (?:element|number|index|item|value) (?:twice|more than once)\b|\breuse\b|\bpair (?:an?|a number|an element) with itself\b|\bi (?:equal|equals|=|==) j\b/,
  },
  {
    property: 'in_place',
    ask: /\bin[- ]place\b|\bmodify (?:the )?(?:input|array|list|grid|tree|original)\b|\bmutate\b|\bchange the input\b|\boverwrite the input\b/,
  },
];

/** The input properties an utterance mentions, asked or not: "I'd test an empty list and a single price". */
export function propertiesMentioned(raw: string): PropertyAsked[] {
  return propertiesAsked(normalise(raw));
}

function propertiesAsked(t: string): PropertyAsked[] {
  const found: PropertyAsked[] = [];
  for (const rule of PROPERTY_RULES) {
    if (!rule.ask.test(t)) continue;
    const property = rule.property;
    if (found.some((f) => f.property === property)) continue;
    // "zero length" and "at least one" are about emptiness, not about zero as a value.
    if (
      property === 'zero' &&
      found.some((f) => f.property === 'empty') &&
      !/\b(?:value|values|amount|element|number|nums)\b[^.]*\b(?:zero|0)\b|\b(?:zero|0)s?\b[^.]*\b(?:value|values|amount|amounts)\b/.test(t)
    )
      continue;
    // "how many"/"how long" with a value word is a value range; with "sort" as a verb it is an approach.
    if ((property === 'size' || property === 'type') && found.some((f) => f.property === 'value_range')) continue;
    if (property === 'sorted' && /\b(?:sort|sorting) (?:it|the|them)\b|\bif i sort\b/.test(t) && !/\bsorted\b/.test(t)) continue;
    if (property === 'characters' && /\brepeat (?:the|that)\b/.test(t)) continue;
    // "What's the space?" asks for a complexity, not about space characters.
    if (
      property === 'characters' &&
      /\b(?:the|extra|more|less|much|constant|linear) space\b|\bspace (?:complexity|wise|usage)\b/.test(t) &&
      !/\bspaces\b/.test(t)
    )
      continue;
    found.push({ property, inverted: rule.inverted?.test(t) ?? false });
  }
  return found;
}

interface Technique {
  name: string;
  re: RegExp;
  time: Cost;
  space: Cost;
}

const TECHNIQUES: Technique[] = [
  {
    name: 'every permutation',
    re: /\b(?:every|all|each|all the|all possible) (?:permutations?|orderings?|arrangements?)\b|\bpermute\b|\bgenerate (?:all )?permutations\b/,
    time: COSTS.factorial,
    space: COSTS.linear,
  },
  {
    name: 'every subset',
    re: /\b(?:every|all|each|all the|all possible) (?:subsets?|subsequences?|combinations?|possible combinations?|selections?)\b|\bpower ?set\b|\b(?:every|all|each) (?:possible )?(?:strings?|sequences?|bit ?strings?) of length\b|\b(?:try|trying|check|checking|enumerate|enumerating|generate|generating) (?:every|all|each)(?: possible)? (?:way|choice|combination|subset|selection)s?\b|\b(?:take or skip|include or exclude|pick or (?:not pick|skip)) (?:each|every)\b|\btry (?:taking|robbing) (?:or (?:not|skipping) )?(?:each|every)\b/,
    time: COSTS.exponential,
    space: COSTS.linear,
  },
  {
    name: 'three nested loops',
    re: /\bthree (?:nested )?(?:for )?loops\b|\btriple (?:nested )?loop\b|\b(?:every|all|each) (?:triple|triplet)s?\b|\bloop inside a loop inside a loop\b|\bcubic\b/,
    time: COSTS.cubic,
    space: COSTS.constant,
  },
  {
    // "For each bar find the max to its left and right": a scan per element.
    name: 'a scan per element',
    re: /\bfor (?:each|every) \w+\b[^.]*\b(?:max|min|maximum|minimum|largest|smallest|highest|tallest|sum|total|count)\b[^.]*\b(?:to (?:the|its) (?:left|right)|on (?:the|its|each) (?:left|right|side)|before it|after it|of the rest|of everything else)\b/,
    time: COSTS.quadratic,
    space: COSTS.constant,
  },
  {
    name: 'every pair',
    re: /\bnested (?:for )?loops?\b|\bdouble (?:for )?loop\b|\btwo (?:nested )?(?:for )?loops\b(?! (?:one after|in a row|separately|side by side))|\b(?:every|all|each) (?:possible )?pairs?\b|\b(?:each|every) (?:element|number|day|index|item|house|price|one|value) (?:with|against|to|and) (?:every|each|all) (?:other|later|following|the other|the rest)\b|\bcompare (?:each|every|all)\b[^.]*\b(?:every|each|all|other)\b|\bloop inside (?:a|another) loop\b|\bfor (?:each|every) \w+ (?:i )?loop (?:again|over (?:it|them|everything) again|through (?:it|the \w+|everything) again)\b|\bfor (?:each|every) \w+(?: i)?\b[^.]*\b(?:check|loop over|go through|scan|look at|compare with) (?:every|all|each|the rest|the remaining|all the other|all later)\b|\bbrute[- ]?force\b|\btry (?:every|all|each) (?:start|starting|buy|sell|split|end|window|substring|subarray)s?\b|\b(?:every|all|each) (?:subarray|substring|window|interval pair|start and end)s?\b/,
    time: COSTS.quadratic,
    space: COSTS.constant,
  },
  { name: 'recursion without memo', re: /\b(?:recursion|recursive|recursively|recurse)\b/, time: COSTS.exponential, space: COSTS.linear },
  {
    name: 'memoised recursion',
    re: /\bmemo(?:ize|ise|ization|isation|ized|ised)?\b|\bcach(?:e|ing)\b|\btop[- ]down\b/,
    time: COSTS.linear,
    space: COSTS.linear,
  },
  {
    name: 'dynamic programming',
    re: /\bdynamic programming\b|\bdp (?:table|array|arr|list|state|solution|approach)?\b|\bdp\b|\bfibonacci\b|\btabulation\b|\bbottom[- ]up\b|\bbuild (?:up )?a table\b|\brecurrence\b|\bsubproblems?\b/,
    time: COSTS.linear,
    space: COSTS.linear,
  },
  {
    name: 'sort',
    re: /\bsort(?:ing|ed)? (?:it|the|them|first|all|by|intervals|array|numbers|list|input)\b|\bsorts?\b|\bsorting\b|\bmost[_ ]common\b/,
    time: COSTS.nlogn,
    space: COSTS.constant,
  },
  { name: 'heap', re: /\b(?:min|max)?[- ]?heap\b|\bpriority queue\b|\bheapq\b|\bheapify\b/, time: COSTS.nlogn, space: COSTS.linear },
  {
    name: 'binary search',
    re: /\bbinary search\b|\bbisect\b|\bhalve the (?:range|search|array)\b|\bdivide the search\b/,
    time: COSTS.log,
    space: COSTS.constant,
  },
  {
    name: 'hash map',
    re: /\bhash ?(?:map|table|set)\b|\bhashmap\b|\bdictionary\b|\bdict\b|\b(?:a|an|the) (?:set|map)\b|\bcounter\b|\bfrequency (?:map|table|count|array)\b|\bcount(?:ing)? (?:the )?(?:frequenc|occurrence|characters|letters)|\blookup table\b|\bseen set\b/,
    time: COSTS.linear,
    space: COSTS.linear,
  },
  {
    name: 'two pointers',
    re: /\btwo pointers?\b|\bleft and right pointers?\b|\b(?:left|right|start|end|slow|fast) pointer\b|\bpointers? (?:from|at) (?:both|each) ends?\b/,
    time: COSTS.linear,
    space: COSTS.constant,
  },
  {
    name: 'sliding window',
    re: /\bsliding window\b|\bwindow (?:that|which) (?:grows|slides|expands)\b|\bexpand and shrink\b/,
    time: COSTS.linear,
    space: COSTS.linear,
  },
  { name: 'BFS', re: /\bbfs\b|\bbreadth[- ]first\b|\blevel by level\b|\blevel order\b|\bmulti[- ]source\b/, time: COSTS.linear, space: COSTS.linear },
  { name: 'DFS', re: /\bdfs\b|\bdepth[- ]first\b|\bflood[- ]?fill\b/, time: COSTS.linear, space: COSTS.linear },
  {
    name: 'stack',
    re: /\b(?:monotonic |a |the |use a |with a |second |another |auxiliary |extra |min |helper |two )stacks?\b|\bpush (?:and|then) pop\b/,
    time: COSTS.linear,
    space: COSTS.linear,
  },
  {
    name: 'prefix sums',
    re: /\bprefix (?:sums?|max(?:imum)?|min(?:imum)?|products?)\b|\brunning (?:sum|total|max|min)\b|\bcumulative\b|\bprecompute\b|\b(?:left|right) max(?:imum)?s? (?:and|arrays?)\b/,
    time: COSTS.linear,
    space: COSTS.linear,
  },
  {
    name: 'one pass',
    re: /\bone pass\b|\bsingle pass\b|\bsingle scan\b|\bone scan\b|\blinear scan\b|\bscan (?:it |the (?:array|list|string) )?(?:left to right|right to left|from the (?:left|start|beginning)|through (?:it|the (?:array|list|string)))\b|\b(?:iterate|loop|go|scan|walk) (?:through|over) (?:it |the (?:array|list|string|input|prices|houses|numbers) )?once\b|\bkeep(?:ing)? track of (?:the )?(?:min|max|minimum|maximum|best|smallest|largest|lowest|highest|current|running)\b|\bkadane\b|\bfarthest (?:reach|index)\b|\btwo variables\b|\bjust two numbers\b|\b(?:min|minimum|max|maximum|best|lowest|highest|smallest|largest) so far\b/,
    time: COSTS.linear,
    space: COSTS.constant,
  },
  { name: 'greedy', re: /\bgreed(?:y|ily)\b/, time: COSTS.linear, space: COSTS.constant },
  { name: 'union find', re: /\bunion[- ]find\b|\bdisjoint set\b/, time: COSTS.linear, space: COSTS.linear },
  { name: 'backtracking', re: /\bbacktrack(?:ing)?\b/, time: COSTS.exponential, space: COSTS.linear },
];

type Heard = Omit<Technique, 're'>;

function techniquesHeard(t: string): Heard[] {
  const heard: Heard[] = [];
  for (const technique of TECHNIQUES) {
    const m = technique.re.exec(t);
    if (!m || negatedAt(t, m.index)) continue;
    heard.push(technique);
  }
  const names = new Set(heard.map((h) => h.name));
  // Memoised or tabulated, a recursion is a DP: its cost is not exponential.
  const drop = new Set<string>();
  if (names.has('recursion without memo') && (names.has('memoised recursion') || names.has('dynamic programming'))) drop.add('recursion without memo');
  if (names.has('every subset') && names.has('backtracking')) drop.add('backtracking');
  if (names.has('every pair') && names.has('three nested loops')) drop.add('every pair');
  if (names.has('a scan per element')) drop.add('every pair');
  // Precomputed left and right maxima replace the scan per element.
  if (names.has('a scan per element') && names.has('prefix sums')) drop.add('a scan per element');
  // Every start and end, each summed from scratch, is a third loop.
  if (
    names.has('every pair') &&
    !names.has('prefix sums') &&
    /\b(?:subarrays?|start and end|starts and ends|ranges?)\b/.test(t) &&
    /\b(?:sum|total) (?:them|it|each(?: one)?|(?:all )?the (?:elements|numbers|values)|up|each (?:of them|subarray))\b/.test(t)
  ) {
    drop.add('every pair');
    heard.push({ name: 'summing every subarray', time: COSTS.cubic, space: COSTS.constant });
  }
  if (names.has('one pass') && heard.length > 1) drop.add('one pass');
  if (names.has('binary search') && /\b(?:for each|for every|each time|n times|every element)\b/.test(t))
    return [
      ...heard.filter((h) => !drop.has(h.name) && h.name !== 'binary search'),
      { ...TECHNIQUES.find((x) => x.name === 'binary search')!, name: 'binary search per element', time: COSTS.nlogn },
    ];
  return heard.filter((h) => !drop.has(h.name));
}

function estimate(techniques: Heard[]): ApproachEstimate | undefined {
  if (techniques.length === 0) return undefined;
  const worst = (costs: Cost[]) => costs.reduce((a, b) => (b.rank > a.rank ? b : a));
  return { techniques: techniques.map((t) => t.name), time: worst(techniques.map((t) => t.time)), space: worst(techniques.map((t) => t.space)) };
}

/** A table over two inputs ("2d dp", "dp i j") costs one step per pair of positions: O(m·n). */
function twoDimensional(approach: ApproachEstimate | undefined, t: string): ApproachEstimate | undefined {
  if (!approach?.techniques.includes('dynamic programming')) return approach;
  if (!/\b2 ?d\b|\btwo[- ]dimensional\b|\bdp (?:of )?i (?:and )?j\b|\bdp\[i\]\[j\]|\b(?:m|n) by (?:m|n)\b|\bgrid of\b|\btable of size\b/.test(t))
    return approach;
  return { ...approach, time: COSTS.product, space: COSTS.product };
}

const COST_PHRASE =
  /\bo\(\s*[^)]{1,20}\)|\b(?:big )?o of (?:n|log|one|1|two|2|m|k|v)\b(?: (?:log|squared|cubed|factorial|times|plus|\+|\^|to the)\b)?(?: (?:n|m|k|e|two|three))?|\b(?:n|k) log (?:n|k)\b|\blog (?:n|k)\b|\b(?:n|m|rows?) (?:times|by|x|\*) (?:n|m|k|cols?|columns?)\b|\bn (?:squared|cubed|factorial)\b|\bn\s*\^\s*\d\b|\b2\s*\^\s*n\b|\b(?:2|two|4|four) to the (?:power (?:of )?)?(?:2n|two n|n)\b|\b(?:linear|quadratic|cubic|constant|logarithmic|exponential|linearithmic)\b(?! (?:scan|search|probing|pass))/g;

/** "O(n) time and O(1) space", "linear time constant space", "space is o of n", "it's n squared". */
export function complexityClaim(t: string): ComplexityClaim | undefined {
  const claim: ComplexityClaim = {};
  const mentions = [...t.matchAll(COST_PHRASE)];
  for (const m of mentions) {
    const cost = parseCost(m[0]);
    if (!cost) continue;
    const after = t.slice(m.index + m[0].length, m.index + m[0].length + 24);
    const before = t.slice(Math.max(0, m.index - 30), m.index);
    const spaceAfter = /^\s*(?:extra |additional |auxiliary )?(?:space|memory)\b/.test(after);
    const timeAfter = /^\s*(?:time|runtime|run time)\b/.test(after);
    const lastLabel = /(space|memory|time|runtime)\b[^a-z]*(?:\w+\s*){0,3}$/.exec(before)?.[1];
    const isSpace = spaceAfter || (!timeAfter && (lastLabel === 'space' || lastLabel === 'memory'));
    if (isSpace) claim.space ??= cost;
    else claim.time ??= cost;
  }
  return claim.time || claim.space ? claim : undefined;
}

const RUDE =
  /\b(?:fuck|shit|damn you|stupid (?:question|problem|interview)|this is stupid|you(?:'re| are) (?:useless|stupid|dumb)|shut up|waste of (?:my )?time|screw (?:this|you)|idiot|sucks)\b/;
const REPEAT =
  /\b(?:repeat (?:the|that|it|your|what)|say (?:that|it) again|come again|didn'?t (?:catch|hear|get) (?:that|it|the question|what you said)|what was the question|can you rephrase|pardon\b|what did you (?:say|ask)|missed (?:that|the question)|what do you mean|what does that (?:even )?mean|what are you asking|can you explain (?:that|what you mean|the question)|clarify the question|i don'?t (?:understand|get) (?:the question|what you mean|what you'?re asking))/;
const HINT =
  /\b(?:hint|hints|clue|nudge|a pointer|point me|push in the right direction|help me out|can you help|could you help|give me (?:a|some) (?:help|idea|direction)|(?:tell|give|show) me the (?:answer|solution|trick)|what'?s the (?:answer|solution|trick)|(?:what|which) (?:data structure|algorithm|approach|technique) should i (?:use|try|go with)|what should i use)\b/;
const STUCK =
  /\b(?:(?:i'?m|i am|im|kind of|kinda|totally|pretty) (?:stuck|lost|blanking|confused)|stuck\b|no idea|(?:don'?t|do not|dont) (?:know|see) (?:how|where|what|why)|not sure (?:how|where|what)(?! (?:the|it|you))|can'?t (?:think of|figure|see how|come up)|(?:how|where) (?:do|can|should) i (?:start|begin)|drawing a blank|out of ideas|no clue|i give up|(?:how|what) (?:can|could|do|would|should) i (?:make|get) it (?:faster|better|quicker|more efficient)|make it faster\b|speed it up|(?:is there|what'?s) a (?:faster|better) way\b(?! to (?:say|put))|what am i missing|is there (?:something|anything|a way|an approach|a solution|a trick) (?:better|faster|smarter|more efficient|quicker)|^(?:i )?(?:really |honestly )?(?:don'?t|dont|do not) know(?: (?:honestly|really|what to do|where to start|how to start))?$|^not sure$)\b/;
const TIME =
  /\b(?:how (?:much|long) (?:time|do (?:i|we) have)|(?:what(?:'s| is) the |the |a )?time limit(?! (?:per|for each|on each) test)|how long (?:is|does) (?:the|this) (?:interview|session)|how many minutes|time (?:left|remaining)|minutes left|are we (?:out of|running out of) time|how are we (?:doing )?on time)\b/;
const LANGUAGE =
  /\b(?:what|which) (?:programming )?languages?\b|\bcan i (?:use|write (?:it )?in|code (?:it )?in|do it in) (?:python|java|javascript|typescript|c\+\+|cpp|c#|go|golang|rust|ruby|kotlin|swift|js|ts)\b|\b(?:python|javascript|typescript) (?:or|vs) (?:python|javascript|typescript|java)\b|\bswitch (?:to )?(?:python|javascript|typescript|languages?)\b/;
const OFF_TOPIC =
  /\b(?:weather|lunch|dinner|breakfast|movie|movies|football|soccer|basketball|weekend|vacation|holiday|politics|election|joke|favou?rite (?:food|color|colour|movie|band)|your name|how are you|how'?s it going|where are you from|how old are you|are you (?:a robot|human|an ai|real)|what do you do for fun|tell me about yourself|the game last night|traffic)\b/;
const THINKING =
  /^(?:hmm+|um+|uh+|uhm|erm|mm+|ok(?:ay)?|right|alright|i see|got it|mhm|let me think(?: about (?:it|that|this))?|let me see|give me a (?:sec|second|moment|minute)|one (?:sec|second|moment)|thinking|just a (?:sec|second|moment)|hold on|wait|interesting|huh|so+|yeah let me think|okay let me think)$/;
const YES = /^(?:yes|yeah|yep|yup|sure|of course|definitely|i do|correct|that'?s right|absolutely)\b/;
const NO =
  /^(?:no|nope|nah|not really|nothing|none|i'?m good|im good|i'?m fine|no questions?|that'?s (?:all|it)|i don'?t (?:have any|think so)|not at the moment|all good|no thanks?|nothing from me)\b/;
/** A plan in words no technique names: "I would take the max minus the min". */
const PLAN =
  /^(?:i would|i'?d|i will|i'?ll|i think i(?:'?d| would| will| can)|we can|we could|i could|maybe we|my idea|the idea is|first i|i want to|i'?m going to|i am going to|i can|maybe i|my approach|what i'?d do|for (?:each|every) \w+ (?:i'?d|i would|i will|i'?ll|we|i))\b(?! (?:assume|start coding|code|write|implement|like|need|say))/;
/** Asking for a complexity rather than claiming one: "what's the space?", "how fast is that?". */
const COMPLEXITY_QUESTION =
  /\bwhat(?:'s|s| is| would be| will be)? (?:the )?(?:time |space |run ?time |memory )?(?:complexity|space|runtime|run time|big o|memory)\b|\bhow (?:much (?:space|memory)|fast (?:is|would) (?:it|that|this))\b/;
/** Permission for a tool or technique: "can I use recursion?". */
const PERMISSION =
  /^(?:can|may|could) i (?:use|try|do it|solve it|write it|go with)\b|^(?:is it )?(?:ok(?:ay)?|fine|allowed) (?:if i |to )use\b|^am i allowed to use\b/;
/** "What is a subsequence exactly", "what does well-formed mean". */
const DEFINITION =
  /^what (?:is|are|does|do) (?:an? |the )?([a-z][a-z' -]{1,30}?) (?:exactly|mean|means|mean here|here|precisely)$|^what(?:'s| is) the definition of (?:an? |the )?([a-z][a-z' -]{1,30})$|^(?:define|what do you mean by) (?:an? |the )?([a-z][a-z' -]{1,30})$/;
/** "Can I do better on space?", "can I reduce the memory?". */
const IMPROVE_SPACE =
  /\b(?:better|less|reduce|improve|lower|optimi[sz]e|save|cut)(?: on| down on| down)? (?:the )?(?:extra )?(?:space|memory)\b|\b(?:space|memory) (?:down|better|lower)\b/;
/** A case to handle: "what if ...", "what do I return when ...". */
const SCENARIO =
  /^(?:and )?(?:what|how) (?:if|about if|happens (?:if|when)|should happen (?:if|when)|about when)\b|\bwhat (?:do|should|would|will) (?:i|we|it|the function) return (?:if|when|for|in case)\b|\bin (?:the )?case (?:of|where|that)\b/;
/** A plan put as a question: "what if I just take every other house?". */
const PROPOSAL =
  /^(?:what if i|what if we|how about (?:i|we|if i)|what about if i|could i just|can i just|would it work (?:if|to)|couldn'?t i just)\b(?! use\b)/;
/** Asking how to use the tools: running, submitting, the editor. */
const TOOLS =
  /\b(?:can|should|do|how do|may) i (?:run|test|submit|execute|check) (?:the |my )?(?:tests?|code|solution|it)\b|\bhow do i (?:open the editor|run|submit)\b|\bwhere do i (?:write|type) (?:the )?code\b/;
/** Asking how it went: "how did I do?", "what would you improve?". */
const FEEDBACK =
  /\bhow did i do\b|\bhow am i doing\b|\bhow was (?:my|that|i)\b|\bany feedback\b|\bfeedback (?:for|on) me\b|\bwhat (?:would|could|should) (?:you|i) (?:improve|have done better|do better)\b|\bwhat could i have done better\b|\bhow could i improve\b|\bdid i pass\b/;
/** Asking why the code fails: the last run has the answer. */
const DEBUG =
  /^(?:but )?why(?: not| though| is that| does it fail| did it fail)?$|\bwhy (?:is|does|did) (?:it|this|that|my (?:code|solution)) (?:fail|failing|not work|not pass|wrong|broken|time out)\b|\bwhat'?s wrong with (?:it|this|my (?:code|solution))\b|\bwhy (?:doesn'?t|isn'?t|won'?t|didn'?t) (?:it|this|that|my code) (?:work|pass)\b|\bwhich (?:test|case) (?:is )?fail(?:s|ing|ed)?\b|\bwhat (?:test|case) (?:is )?fail(?:s|ing|ed)?\b/;
/** Asking to be told how it is going: correct, fast enough, finished. */
const CHECK_IN =
  /\bis (?:this|that|it|my (?:code|solution|approach)) (?:correct|right|ok(?:ay)?|good enough|fine|optimal|fast enough|efficient enough)\b(?! (?:to|if)\b)|\bshould i optimi[sz]e\b|\bdoes (?:this|that|it|my code) look (?:right|ok(?:ay)?|good|correct)\b|\bcan (?:this|it) be (?:improved|optimi[sz]ed|made faster)\b|\bam i (?:on the right track|done)\b/;
const READY =
  /\b(?:let me (?:code|write|implement|start coding|type)|i'?ll (?:start )?(?:code|coding|write|implement|type)|ready to (?:code|write|implement|start)|let'?s (?:code|write|implement)|start coding|i'?m going to (?:code|write|implement)|i can (?:code|write) (?:it|that) (?:up|now))\b/;

/** The reading of one utterance. */
export function understand(raw: string): Reading {
  const t = normalise(raw);
  const words = t.split(' ').filter(Boolean);
  if (words.length === 0 || THINKING.test(t)) return { intent: 'thinking', properties: [] };
  if (RUDE.test(t)) return { intent: 'rude', properties: [] };
  if (REPEAT.test(t)) return { intent: 'repeat', properties: [] };
  const question = isQuestion(raw, t);
  const properties = propertiesAsked(t);
  const approach = twoDimensional(estimate(techniquesHeard(t)), t);
  const claim = complexityClaim(t);
  const scenario = SCENARIO.test(t);
  // "What do I return if some can never rot?" is about the case, not the output's format.
  if (scenario) {
    const at = properties.findIndex((p) => p.property === 'output_format');
    if (at >= 0) properties.splice(at, 1);
  }
  const assumption = /\b(?:i'?ll assume|i will assume|i'?m assuming|im assuming|assuming|i assume|i guess (?:it|there|the)|presumably)\b/.test(t);

  if (HINT.test(t) && !/\b(?:no|without|don'?t (?:need|want)(?: a)?) hints?\b/.test(t)) return { intent: 'hint', properties: [] };
  if (TIME.test(t)) return { intent: 'meta_time', properties: [] };
  if (TOOLS.test(t)) return { intent: 'meta_tools', properties: [] };
  if (FEEDBACK.test(t)) return { intent: 'feedback', properties: [] };
  if (DEBUG.test(t)) return { intent: 'debug', properties: [] };
  if (IMPROVE_SPACE.test(t) && !claim && !approach) return { intent: 'improve_space', properties: [] };
  const defined = DEFINITION.exec(t);
  if (defined && properties.length === 0 && !approach) return { intent: 'definition', properties: [], term: (defined[1] ?? defined[2] ?? defined[3])!.trim() };
  if (CHECK_IN.test(t) && !claim) return { intent: 'check_in', properties: [] };
  const stuck = STUCK.test(t);
  const sizeOnly = properties.length === 1 && properties[0]!.property === 'size';
  // A question about the input's properties is a clarification, even with an approach in it
  // ("if I sort it, can there be duplicates?"); "how big" with an approach is usually about it.
  if (
    (question || assumption) &&
    properties.length > 0 &&
    !stuck &&
    !(sizeOnly && approach) &&
    !(properties.every((p) => p.property === 'libraries') && approach && !question)
  ) {
    return { intent: 'clarify', properties, ...(assumption ? { assumption } : {}), ...(scenario ? { scenario } : {}) };
  }
  if (stuck) return { intent: 'stuck', properties: [] };
  if (LANGUAGE.test(t) && !properties.some((p) => p.property === 'libraries')) return { intent: 'meta_language', properties: [] };
  if (approach) return { intent: 'approach', properties: [], approach, ...(claim ? { claim } : {}), ...(PERMISSION.test(t) ? { permission: true } : {}) };
  if (PERMISSION.test(t) && !claim && properties.length === 0) return { intent: 'approach', properties: [], permission: true };
  if (PROPOSAL.test(t) && words.length >= 5) return { intent: 'approach', properties: [], ...(claim ? { claim } : {}) };
  if (!question && words.length >= 5 && PLAN.test(t)) return { intent: 'approach', properties: [], ...(claim ? { claim } : {}) };
  if (claim) return { intent: 'complexity', properties: [], claim };
  if (COMPLEXITY_QUESTION.test(t)) return { intent: 'complexity_question', properties: [] };
  if (OFF_TOPIC.test(t) && properties.length === 0) return { intent: 'off_topic', properties: [] };
  if (words.length <= 6 && NO.test(t)) return { intent: 'no', properties: [] };
  if (words.length <= 6 && YES.test(t)) return { intent: 'yes', properties: [] };
  if (READY.test(t)) return { intent: 'ready', properties: [] };
  if (question) return { intent: 'question', properties: [], ...(scenario ? { scenario } : {}) };
  if (properties.length > 0 && assumption) return { intent: 'clarify', properties, assumption };
  return { intent: 'statement', properties: [] };
}

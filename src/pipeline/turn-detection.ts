/**
 * When has the candidate finished speaking? Silence alone cannot say: people pause to think in the
 * middle of a sentence. A transcript that plainly goes on ("so I think I would...", "and then",
 * "because um") gets the long delay; anything else, a finished question above all, the short one.
 */

export interface EndpointingOptions {
  /** Silence after the candidate's voice before a finished-sounding utterance ends the turn. */
  minEndpointingMs: number;
  /** Silence before a plainly unfinished utterance ends the turn anyway. */
  maxEndpointingMs: number;
}

export const DEFAULT_ENDPOINTING: EndpointingOptions = { minEndpointingMs: 400, maxEndpointingMs: 2_500 };

/** Words a sentence does not end on: conjunctions, prepositions, articles, auxiliaries, fillers. */
const CONTINUING_WORDS = new Set([
  'and',
  'but',
  'or',
  'so',
  'because',
  'cause',
  'then',
  'if',
  'when',
  'while',
  'which',
  'that',
  'where',
  'since',
  'although',
  'though',
  'unless',
  'until',
  'the',
  'a',
  'an',
  'my',
  'your',
  'its',
  'their',
  'this',
  'these',
  'those',
  'to',
  'of',
  'in',
  'on',
  'at',
  'for',
  'with',
  'from',
  'by',
  'into',
  'about',
  'like',
  'than',
  'over',
  'would',
  'will',
  'could',
  'should',
  'can',
  'might',
  'must',
  'shall',
  'gonna',
  'wanna',
  'going',
  'want',
  'need',
  'have',
  'is',
  'are',
  'was',
  'be',
  'am',
  'i',
  "i'm",
  "i'd",
  "i'll",
  'we',
  "we'd",
  "we'll",
  "let's",
  'um',
  'uh',
  'er',
  'erm',
  'hmm',
  'ah',
  'like',
  'maybe',
  'also',
  'just',
  'actually',
  'basically',
]);

/** The utterance plainly continues: it trails off ("...", a comma) or ends on a word that leads into more. */
export function soundsUnfinished(text: string): boolean {
  const trimmed = text.trim();
  if (trimmed === '') return false;
  if (/(\.\.\.|…|,|-|—)$/.test(trimmed)) return true;
  if (/[.?!]$/.test(trimmed)) return false;
  const last = trimmed
    .split(/\s+/)
    .pop()!
    .toLowerCase()
    .replace(/[^a-z']/g, '');
  return CONTINUING_WORDS.has(last);
}

/** The silence to wait after the candidate's voice before answering what they said. */
export function endpointingDelayMs(text: string, options: EndpointingOptions = DEFAULT_ENDPOINTING): number {
  return soundsUnfinished(text) ? options.maxEndpointingMs : options.minEndpointingMs;
}

/** Sounds that say "go on" without taking the turn. */
const BACKCHANNELS = new Set([
  'mm',
  'mhm',
  'mm-hm',
  'mmhm',
  'uh-huh',
  'uhhuh',
  'hm',
  'hmm',
  'yeah',
  'yep',
  'yes',
  'okay',
  'ok',
  'right',
  'sure',
  'uh',
  'um',
  'ah',
  'oh',
  'cool',
  'nice',
]);

/** Only backchannel words ("mm-hm", "yeah, right"): not an attempt to take the turn. */
export function isBackchannel(text: string): boolean {
  const words = text
    .toLowerCase()
    .replace(/[.,!?]/g, ' ')
    .split(/\s+/)
    .filter(Boolean);
  return words.length > 0 && words.length <= 3 && words.every((w) => BACKCHANNELS.has(w));
}

/**
 * Keeps an LLM interviewer's turn the way a good interviewer talks: short, ending with at most one
 * question, without empty praise. Models drift from the prompt, so this is enforced on the stream.
 */

export interface GuardLimits {
  maxWords: number;
  maxSentences: number;
}

export const DEFAULT_GUARD: GuardLimits = { maxWords: 70, maxSentences: 4 };

/** Praise that says nothing about what the candidate did. A sentence of only this is dropped. */
const EMPTY_PRAISE = /^\s*(great|good|excellent|awesome|nice|wonderful|fantastic|perfect|amazing)( (question|job|work|point|thinking|start))?[!.]\s*/i;

const SENTENCE_END = /[.!?](?=["')\]]*(\s|$))/g;

/**
 * Passes a turn's text through sentence by sentence (what the chunker needs anyway), cut after
 * the first question or at the limits. `onCut` is called when text is dropped, so the caller can
 * abort the model's stream instead of paying for the rest.
 */
export async function* guardTurn(deltas: AsyncIterable<string>, limits: GuardLimits = DEFAULT_GUARD, onCut?: () => void): AsyncGenerator<string> {
  let pending = '';
  let sentences = 0;
  let words = 0;
  const emptyPraise = (sentence: string) => EMPTY_PRAISE.test(sentence) && sentence.replace(EMPTY_PRAISE, '').trim() === '';
  for await (const delta of deltas) {
    pending += delta;
    for (;;) {
      SENTENCE_END.lastIndex = 0;
      const m = SENTENCE_END.exec(pending);
      if (!m) break;
      // A sentence is complete once the text after its end mark has started (or the turn ends).
      const end = m.index + 1 + (/^["')\]]*/.exec(pending.slice(m.index + 1))?.[0].length ?? 0);
      if (end >= pending.length) break;
      const sentence = pending.slice(0, end);
      pending = pending.slice(end);
      if (emptyPraise(sentence)) continue;
      const n = sentence.split(/\s+/).filter(Boolean).length;
      if (sentences > 0 && (words + n > limits.maxWords || sentences >= limits.maxSentences)) {
        onCut?.();
        return;
      }
      // The turn starts with its first word, not with the space a dropped sentence left.
      yield sentences === 0 ? sentence.trimStart() : sentence;
      sentences++;
      words += n;
      if (sentence.trimEnd().endsWith('?') || /\?["')\]]*$/.test(sentence.trimEnd())) {
        // A question ends the turn: the candidate answers it before anything else is said, so
        // whatever the model still has to say is not wanted.
        onCut?.();
        return;
      }
    }
  }
  const rest = pending.trim() ? pending : '';
  if (!rest) return;
  if (emptyPraise(rest)) return;
  const n = rest.split(/\s+/).filter(Boolean).length;
  if (sentences > 0 && (words + n > limits.maxWords || sentences >= limits.maxSentences)) return;
  yield sentences === 0 ? rest.trimStart() : rest;
}

import type { LanguageModel } from '../providers/spec.js';
import type { Brain, BrainPart, Instruction, InterviewContext } from './brain.js';
import { guardTurn } from './output-guard.js';
import { buildPrompt } from './prompt.js';

/** Spoken turns are short; the scorecard's JSON needs room for four notes. */
const SPOKEN_TOKENS = 220;
const ASSESS_TOKENS = 600;

/**
 * The interviewer as any language model: the interview builds the prompt (what was read, what the
 * policy decided, the facts) and keeps the turn to the conduct a good interviewer has (the output
 * guard); the model, behind a small adapter, only turns it into words.
 */
export class ModelBrain implements Brain {
  readonly wholeSentences = true;

  constructor(private readonly languageModel: LanguageModel) {}

  get name(): string {
    return this.languageModel.name;
  }

  get model(): string {
    return this.languageModel.model;
  }

  stream(instruction: Instruction, context: InterviewContext, signal?: AbortSignal): AsyncGenerator<BrainPart> {
    const prompt = buildPrompt(instruction, context);
    const spoken = instruction.kind !== 'assess';
    const request = { system: prompt.system, messages: prompt.messages, maxTokens: spoken ? SPOKEN_TOKENS : ASSESS_TOKENS };
    return modelTurn((s) => this.languageModel.stream(request, s), spoken, signal);
  }
}

/**
 * A model's turn as brain parts. A spoken turn goes through the output guard, and when the guard ends
 * the turn the model's request is aborted instead of being read to the end; a turn that is read, not
 * spoken (the scorecard's JSON), goes through as it is, since the guard would cut it short.
 */
export async function* modelTurn(deltas: (signal: AbortSignal) => AsyncIterable<string>, spoken: boolean, signal?: AbortSignal): AsyncGenerator<BrainPart> {
  const request = new AbortController();
  const onAbort = () => request.abort();
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const texts = spoken ? guardTurn(deltas(request.signal), undefined, () => request.abort()) : deltas(request.signal);
    for await (const text of texts) {
      // After an abort the guard still flushes what it held; none of it is wanted.
      if (signal?.aborted) return;
      yield { type: 'text-delta', text };
    }
    if (!signal?.aborted) yield { type: 'finish' };
  } finally {
    signal?.removeEventListener('abort', onAbort);
    request.abort();
  }
}

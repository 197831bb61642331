import { AsyncQueue } from '../core/async-queue.js';
import type { BrainPart, Instruction, InterviewContext } from './brain.js';
import { WrappedBrain } from './wrapped-brain.js';
import { buildPrompt } from './prompt.js';

/** Two turns are the same request when the model would be sent the same prompt. */
const requestOf = (instruction: Instruction, context: InterviewContext) => JSON.stringify(buildPrompt(instruction, context));

interface Anticipated {
  request: string;
  parts: AsyncQueue<BrainPart>;
  controller: AbortController;
}

/**
 * Preemptive generation over any brain: `anticipate` starts the turn the interview will probably ask
 * for (the candidate has probably finished speaking, but the turn is not decided yet) and keeps what
 * streams; `stream` of the same prompt takes that over, already under way, while any other request
 * drops it and asks afresh. So the reply is never built on words the candidate did not end up saying.
 */
export class PreemptiveBrain extends WrappedBrain {
  private anticipated: Anticipated | null = null;
  /** Turns taken over from an anticipation, and turns asked afresh: for the bench and the tests. */
  readonly taken = { anticipated: 0, fresh: 0 };

  anticipate(instruction: Instruction, context: InterviewContext): void {
    const request = requestOf(instruction, context);
    if (this.anticipated?.request === request) return;
    this.drop();
    const controller = new AbortController();
    const parts = new AsyncQueue<BrainPart>();
    this.anticipated = { request, parts, controller };
    void (async () => {
      try {
        for await (const part of this.inner.stream(instruction, context, controller.signal)) parts.push(part);
        parts.end();
      } catch (error) {
        parts.end(controller.signal.aborted ? undefined : error);
      }
    })();
  }

  async *stream(instruction: Instruction, context: InterviewContext, signal?: AbortSignal): AsyncGenerator<BrainPart> {
    const anticipated = this.anticipated;
    this.anticipated = null;
    if (!anticipated || anticipated.request !== requestOf(instruction, context)) {
      anticipated?.controller.abort();
      this.taken.fresh++;
      yield* this.inner.stream(instruction, context, signal);
      return;
    }
    this.taken.anticipated++;
    const abort = () => anticipated.controller.abort();
    if (signal?.aborted) abort();
    signal?.addEventListener('abort', abort, { once: true });
    try {
      yield* anticipated.parts;
    } finally {
      signal?.removeEventListener('abort', abort);
      // A reader that stops early (an interruption, an error downstream) stops the model too.
      abort();
    }
  }

  /** The anticipated turn will not be asked for (the candidate went on speaking): stop it. */
  drop(): void {
    this.anticipated?.controller.abort();
    this.anticipated = null;
  }
}

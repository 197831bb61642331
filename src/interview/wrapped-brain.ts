import type { Brain, BrainPart, Instruction, InterviewContext } from './brain.js';

/** A brain around another (recording it, anticipating it): it goes by the inner brain's name, model and habits. */
export abstract class WrappedBrain implements Brain {
  constructor(protected readonly inner: Brain) {}

  get name(): string {
    return this.inner.name;
  }

  get model(): string | undefined {
    return this.inner.model;
  }

  get wholeSentences(): boolean | undefined {
    return this.inner.wholeSentences;
  }

  abstract stream(instruction: Instruction, context: InterviewContext, signal?: AbortSignal): AsyncIterable<BrainPart>;
}

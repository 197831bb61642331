import { preview } from '../../core/text.js';
import type { Brain, BrainPart, Instruction, InterviewContext } from '../spec.js';

/**
 * The offline interviewer: deterministic phrasing from the problem's own content and the judge's
 * results. Short turns, at most one question each, no empty praise: what a good interviewer says.
 */
export class ScriptedBrain implements Brain {
  readonly name = 'scripted';

  async *stream(instruction: Instruction, context: InterviewContext, signal?: AbortSignal): AsyncGenerator<BrainPart> {
    const text = this.phrase(instruction, context);
    // Word by word, like a model, so everything downstream streams the same way.
    for (const word of text.split(/(?<= )/)) {
      if (signal?.aborted) return;
      yield { type: 'text-delta', text: word };
    }
    yield { type: 'finish' };
  }

  phrase(instruction: Instruction, { problem, state }: InterviewContext): string {
    switch (instruction.kind) {
      case 'introduce': {
        const firstParagraph = problem.statement.split(/\n\s*\n/)[0]!.replace(/\s+/g, ' ').replace(/`/g, '').trim();
        return `Today's problem is ${problem.title}. ${firstParagraph} Take a moment, and ask me anything that is unclear before you start.`;
      }
      case 'resume':
        return instruction.lastInterviewerTurn
          ? `Welcome back. Where we left off, I had said: ${instruction.lastInterviewerTurn} Carry on when you're ready.`
          : `Welcome back. We're on ${problem.title}; carry on when you're ready.`;
      case 'answer_clarification':
        return instruction.answer ?? "That's your call; state the assumption you make and carry on. How would you approach it?";
      case 'discuss_approach':
        return problem.complexity
          ? `Sounds like a plan. What time and space complexity do you expect from it? When you're ready, open the editor and write it.`
          : 'Sounds like a plan. Open the editor and write it when you are ready.';
      case 'comment_on_run': {
        const { run } = instruction;
        if (run.verdict === 'accepted') {
          return run.kind === 'submit' ? `It ${run.summary}.` : `It ${run.summary} I can show you. Submit when you think it is ready.`;
        }
        if (run.verdict === 'compile_error') return `It ${run.summary}. Have a look at that line.`;
        const example = run.failing[0];
        const detail =
          example && example.input !== undefined
            ? ` For example, with ${preview(example.input, 80)} it returns ${example.actual === undefined ? 'an error' : preview(example.actual, 40)} where ${preview(example.expected, 40)} is expected.`
            : '';
        const lead = run.failing.some((f) => f.error) && !detail ? ' One of them fails with an error.' : '';
        return `It ${run.summary}.${detail}${lead} What do you think happens there?`;
      }
      case 'give_hint': {
        const lead = instruction.reason === 'failing' ? "Let me give you something to go on. " : instruction.reason === 'stuck' ? "Let's unblock you. " : '';
        return `${lead}${instruction.text}`;
      }
      case 'no_code_yet':
        return "There's no code to run yet. Open the editor and write your solution first.";
      case 'no_more_hints':
        return "I've given you everything I have; try to put it together, and talk me through it.";
      case 'ask_follow_up':
        return instruction.question;
      case 'acknowledge':
        return state.phase === 'follow_up' ? 'Okay.' : 'Go on.';
      case 'wrap_up':
        return `That's time. ${instruction.scorecardSummary}`;
      case 'assess':
        return JSON.stringify(instruction.rubric);
    }
  }
}

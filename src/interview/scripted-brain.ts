import { preview } from '../core/text.js';
import type { Brain, BrainPart, Instruction, InterviewContext } from './brain.js';
import { statementProse } from '../problems/statement.js';
import { vary } from './conduct.js';

/**
 * The offline interviewer: the conduct policy's replies as planned, and deterministic phrasing from
 * the problem's own content and the judge's results. Short turns, at most one question each, no
 * empty praise, and no sentence said twice in a row.
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
      case 'introduce':
        return `Today's problem is ${problem.title}. ${spokenSummary(problem.statement)} Take a moment, and ask me anything that is unclear before you start.`;
      case 'resume':
        return instruction.lastInterviewerTurn
          ? `Welcome back. Where we left off, I had said: ${instruction.lastInterviewerTurn} Carry on when you're ready.`
          : `Welcome back. We're on ${problem.title}; carry on when you're ready.`;
      case 'respond':
        return instruction.reply.text;
      case 'comment_on_run': {
        const { run } = instruction;
        if (run.verdict === 'accepted') {
          if (run.kind === 'submit') return `It ${run.summary}.`;
          return vary(
            [
              `It ${run.summary} I can show you. Submit when you think it is ready.`,
              `Still good: it ${run.summary} I can show you. Submit when you're happy with it.`,
            ],
            state,
          );
        }
        if (run.verdict === 'compile_error') return `It ${run.summary}. Have a look at that line.`;
        const example = run.failing[0];
        const detail =
          example && example.input !== undefined
            ? ` For example, with ${preview(example.input, 80)} it returns ${example.actual === undefined ? 'an error' : preview(example.actual, 40)} where ${preview(example.expected, 40)} is expected.`
            : '';
        const lead = run.failing.some((f) => f.error) && !detail ? ' One of them fails with an error.' : '';
        return `It ${run.summary}.${detail}${lead} ${vary(['What do you think happens there?', 'Why do you think that one fails?', 'Can you trace that case by hand?'], state)}`;
      }
      case 'give_hint': {
        const lead =
          instruction.reason === 'failing'
            ? vary(['Let me give you something to go on.', 'Here is something that may help.', 'One thing to look at.'], state)
            : instruction.reason === 'stuck'
              ? vary(["Let's unblock you.", "Here's a thought.", 'Let me help a little.'], state)
              : vary(['Here is a thought.', 'Okay, something to go on.', 'Let me help a little.'], state);
        return `${lead} ${instruction.text}`;
      }
      case 'no_code_yet':
        return "There's no code to run yet. Open the editor and write your solution first.";
      case 'no_more_hints':
        return vary(
          [
            "I've given you everything I have; try to put it together, and talk me through it.",
            'That was my last hint. Walk me through what you have so far, out loud.',
          ],
          state,
        );
      case 'ask_follow_up':
        return instruction.question;
      case 'time_warning':
        return `About ${instruction.minutesLeft} minute${instruction.minutesLeft === 1 ? '' : 's'} left. Get what you have working, and tell me what you'd do with more time.`;
      case 'invite_questions':
        return "That's all my questions. Do you have any for me?";
      case 'wrap_up':
        return `${instruction.timeUp ? "That's time." : "That's all from me; thanks for talking it through."} ${instruction.scorecardSummary}`;
      case 'assess':
        return JSON.stringify(instruction.rubric);
    }
  }
}

/**
 * The statement said aloud in complete sentences: its prose before the examples, list items as
 * sentences, never cut mid-way. Long statements keep their first sentences whole.
 */
export function spokenSummary(statement: string, maxChars = 600): string {
  const prose = statementProse(statement);
  const sentences = prose
    .split(/\n\s*\n|\n(?=\s*[-*]\s)/)
    .map((block) =>
      block
        .replace(/^\s*[-*]\s+/, '')
        .replace(/`/g, '')
        .replace(/\s+/g, ' ')
        .trim(),
    )
    .filter(Boolean)
    .map((block) => (/[.!?:]$/.test(block) ? block.replace(/:$/, '.') : `${block}.`));
  let said = '';
  for (const sentence of sentences.flatMap((b) => b.split(/(?<=[.!?])\s+(?=[A-Z])/))) {
    if (said && said.length + sentence.length > maxChars) break;
    said = said ? `${said} ${sentence}` : sentence;
  }
  return said;
}

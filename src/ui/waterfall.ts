import type { TurnTimings } from '../interview/state.js';

/** The voice pipeline's marks for one turn, as the interview keeps them. */
type TurnMarks = NonNullable<TurnTimings['marks']>;

const STAGES: { label: string; from: keyof TurnMarks; to: keyof TurnMarks }[] = [
  { label: 'endpointing', from: 'speechEndedAt', to: 'endpointedAt' },
  { label: 'stt final', from: 'speechEndedAt', to: 'sttFinalAt' },
  { label: 'llm first text', from: 'llmStartedAt', to: 'llmFirstTextAt' },
  { label: 'tts first audio', from: 'ttsStartedAt', to: 'ttsFirstAudioAt' },
  { label: 'voice to voice', from: 'speechEndedAt', to: 'firstSampleAt' },
];

/**
 * A turn as a text waterfall: one line per stage, its bar placed on a time axis that starts when the
 * candidate's voice ended. `width` is the bar area in characters.
 */
export function renderWaterfall(title: string, marks: TurnMarks, width = 40): string {
  const origin = marks.speechEndedAt ?? Math.min(...Object.values(marks).filter((v): v is number => v !== undefined));
  const ends = STAGES.map((s) => marks[s.to]).filter((v): v is number => v !== undefined);
  const totalMs = Math.max(1, ...ends.map((t) => t - origin));
  const column = (t: number) => Math.max(0, Math.min(width, Math.round(((t - origin) / totalMs) * width)));
  const label = Math.max(...STAGES.map((s) => s.label.length));
  const lines = [`${title}  (0 = end of the candidate's voice, full width = ${Math.round(totalMs)} ms)`];
  for (const stage of STAGES) {
    const from = marks[stage.from];
    const to = marks[stage.to];
    if (from === undefined || to === undefined) continue;
    const a = column(from);
    const b = Math.max(a + 1, column(to));
    const bar = `${' '.repeat(a)}${'█'.repeat(Math.min(width, b) - a)}`.padEnd(width);
    lines.push(`  ${stage.label.padEnd(label)} │${bar}│ ${String(Math.round(to - from)).padStart(5)} ms`);
  }
  return lines.join('\n');
}

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { POCKETSPHINX_DATA, recordedClip } from '../audio/material.ts';
import type { SpeechClip } from '../audio/material.ts';

/**
 * Recorded speech whose every word is known, for measuring recognizers: "go forward ten meters"
 * (AN4), the five LibriVox sentences and the five "cards" clips, with the transcriptions that ship
 * beside them in Debian's pocketsphinx-testdata.
 */
export interface TranscribedClip extends SpeechClip {
  /** The whole of what is said, lower case, words separated by single spaces. */
  transcript: string;
}

/** Reads a CMU transcription file: `<s> words </s> (id)` a line. */
function transcriptions(file: string): Map<string, string> {
  const byId = new Map<string, string>();
  for (const line of readFileSync(join(POCKETSPHINX_DATA, file), 'utf8').split('\n')) {
    const match = /^(?:<s>)?(.*?)(?:<\/s>)?\s*\(([^)]+)\)\s*$/.exec(line.trim());
    if (match) byId.set(match[2]!, normalise(match[1]!));
  }
  return byId;
}

export function transcribedClips(): TranscribedClip[] {
  const clips: TranscribedClip[] = [{ ...recordedClip('goforward.raw'), transcript: 'go forward ten meters' }];
  for (const [folder, file] of [
    ['librivox', 'transcription'],
    ['cards', 'cards.transcription'],
  ] as const) {
    for (const [id, transcript] of transcriptions(join(folder, file))) clips.push({ ...recordedClip(`${folder}/${id}.wav`), transcript });
  }
  return clips;
}

export function normalise(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z' ]/g, ' ')
    .split(/\s+/)
    .filter(Boolean)
    .join(' ');
}

/** Word error rate: (substitutions + deletions + insertions) / words in the reference. */
export function wordErrorRate(reference: string, hypothesis: string): { errors: number; words: number } {
  const ref = normalise(reference).split(' ').filter(Boolean);
  const hyp = normalise(hypothesis).split(' ').filter(Boolean);
  let previous = Array.from({ length: hyp.length + 1 }, (_, j) => j);
  for (let i = 1; i <= ref.length; i++) {
    const row = [i];
    for (let j = 1; j <= hyp.length; j++) row.push(Math.min(previous[j]! + 1, row[j - 1]! + 1, previous[j - 1]! + (ref[i - 1] === hyp[j - 1] ? 0 : 1)));
    previous = row;
  }
  return { errors: previous[hyp.length]!, words: ref.length };
}

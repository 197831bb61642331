import { existsSync, readFileSync } from 'node:fs';
import { SAMPLE_RATE, toInt16 } from '../core/pcm.js';
import { VettaError } from '../core/errors.js';
import { END_OF_SPEECH } from '../providers/spec.js';
import type { RecognizerInput, SpeechRecognizer } from '../providers/spec.js';
import { audioFileFor } from '../replay/recorder.js';
import type { Recording, RecordingLine } from '../replay/recording.js';
import type { Divergence } from '../replay/report.js';

/** Audio kept either side of a recorded utterance, so a recognizer hears its edges whole. */
const PADDING_MS = 300;
/** Frames of 32 ms, as the microphone delivers them. */
const FRAME = 512;

async function* framesOf(samples: Int16Array): AsyncGenerator<RecognizerInput> {
  for (let at = 0; at < samples.length; at += FRAME) yield samples.subarray(at, Math.min(samples.length, at + FRAME));
  yield END_OF_SPEECH;
}

/** What the recognizer makes of a stretch of audio: its final transcripts, joined. */
async function transcribe(recognizer: SpeechRecognizer, samples: Int16Array): Promise<string> {
  const words: string[] = [];
  for await (const event of recognizer.transcribe(framesOf(samples))) {
    if (event.type === 'transcript-final' && event.text.trim()) words.push(event.text.trim());
  }
  return words.join(' ');
}

/**
 * --from-audio: each utterance the candidate spoke is heard again by today's recognizer from the
 * recorded audio, and the check goes on with what it hears now. A recognition that differs from the
 * recording is itself a divergence, shown word for word.
 */
export async function retranscribed(recording: Recording, recognizer: SpeechRecognizer): Promise<{ recording: Recording; divergences: Divergence[] }> {
  const audioFile = audioFileFor(recording.file);
  if (!existsSync(audioFile))
    throw new VettaError(
      'invalid_input',
      `${recording.file} has no recorded audio (${audioFile}): it was not a spoken interview; check it without --from-audio`,
    );
  const audio = toInt16(readFileSync(audioFile));
  const at = (ms: number) => Math.max(0, Math.min(audio.length, Math.round((ms * SAMPLE_RATE) / 1000)));
  const divergences: Divergence[] = [];
  const lines: RecordingLine[] = [];
  // A spoken utterance is a final transcript followed by the action that says its text.
  let heard: { text: string; today: string } | null = null;
  for (const line of recording.lines) {
    if (line.type === 'transcript' && line.final) {
      const today = await transcribe(recognizer, audio.subarray(at(line.startMs - PADDING_MS), at(line.endMs + PADDING_MS)));
      heard = { text: line.text, today };
      if (today !== line.text)
        divergences.push({
          where: `what the candidate said at ${Math.round(line.startMs / 1000)} s of audio, heard again`,
          diff: [`- ${line.text}`, `+ ${today}`],
        });
      lines.push({ ...line, text: today });
      continue;
    }
    if (line.type === 'action' && line.action.kind === 'say' && heard && line.action.text === heard.text) {
      lines.push({ ...line, action: { ...line.action, text: heard.today } });
      heard = null;
      continue;
    }
    lines.push(line);
  }
  return { recording: { ...recording, lines }, divergences };
}

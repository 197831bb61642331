import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { VettaError } from '../core/errors.js';
import type { Action } from '../interview/actions.js';
import type { Scorecard } from '../interview/scorecard.js';
import type { InterviewEvent } from '../interview/state.js';
import type { Language } from '../problems/load.js';
import type { Instruction, InterviewContext } from '../interview/brain.js';

/**
 * A recording: one interview as a self-contained JSONL file, a header line then one entry a line.
 * The format, the version rule and the audio layout are in docs/recording-format.md.
 */

export const RECORDING_FORMAT = 'vetta-recording';
export const RECORDING_VERSION = 1;

export interface RecordingHeader {
  format: typeof RECORDING_FORMAT;
  version: number;
  vettaVersion: string;
  sessionId: string;
  /** The problem's files hashed, so a check can say the problem changed since. */
  problem: { id: string; contentHash: string };
  language: Language;
  /** Which interviewer spoke; never a key. */
  brain: { name: string; model?: string };
  /** Wall time of line t = 0. */
  startedAt: string;
  /** The interview's clock at t = 0: virtual for scripted sessions (only /wait moves it), else wall. */
  clock: { kind: 'virtual' | 'wall'; startMs: number };
  /** A resumed interview: the events it continued from. */
  resumeFrom?: { startedAtMs: number; events: InterviewEvent[] };
  /** The candidate's audio, when voice was used: a sibling file, raw PCM. */
  audio?: { file: string; encoding: 'pcm_s16le'; sampleRateHz: 16000; channels: 1 };
}

/** What the candidate did, as recorded: an edit carries the code it produced. */
export type RecordedAction =
  | Exclude<Action, { kind: 'edit' }>
  /** `code` is null when no code came back (the editor failed, the file was missing). */
  | { kind: 'edit'; via: 'file' | 'editor'; code: string | null }
  /** A live session let the hint policy look at the clock while the candidate was idle. */
  | { kind: 'tick' };

/** The parts of an LLM request that shape the prompt, without clocks; equal requests give equal prompts. */
export interface NormalisedRequest {
  instruction: unknown;
  context: {
    problemId: string;
    phase: string;
    turns: number;
    /** Every turn's role and text, hashed; the last two are quoted so a diff can show them. */
    conversationDigest: string;
    lastTurns: { role: string; text: string }[];
    hints: string[];
    runs: number;
    lastRun: { kind: string; verdict: string; passed: number; total: number } | null;
    code: { digest: string; lines: number } | null;
  };
}

/** Voice events: the shapes the voice pipeline writes. Times in ms of the candidate's audio clock. */
export type VoiceEntry =
  | { type: 'transcript'; final: boolean; text: string; startMs: number; endMs: number }
  | { type: 'spoken_chunk'; turn: number; text: string }
  | { type: 'playback'; state: 'started' | 'stopped'; reason?: 'finished' | 'interrupted' }
  | { type: 'interruption'; by: 'typing' | 'speech'; spokenChars: number }
  /** Bytes [offsetBytes, offsetBytes + bytes) of the audio file, captured from this line's t on. */
  | { type: 'audio'; offsetBytes: number; bytes: number };

export type RecordingEntry =
  | { type: 'action'; action: RecordedAction }
  | { type: 'event'; event: InterviewEvent }
  | { type: 'llm_request'; id: number; brain: string; key: string; request: NormalisedRequest }
  | { type: 'llm_response'; id: number; text: string; error?: string }
  | { type: 'notice'; text: string }
  | { type: 'scorecard'; card: Scorecard }
  | VoiceEntry;

/** Every entry line: `t` is wall ms since the header's startedAt, `clock` the interview's clock. */
export type RecordingLine = RecordingEntry & { t: number; clock: number };

export interface Recording {
  file: string;
  header: RecordingHeader;
  lines: RecordingLine[];
  /** The last line was cut short (the process died while writing it) and was left out. */
  truncated: boolean;
}

/**
 * Upgrades, by the version they read: UPGRADES[n] turns a version-n recording into version n + 1.
 * A reader applies them in order, so every older recording reads as the current version.
 */
const UPGRADES: Record<
  number,
  (raw: { header: Record<string, unknown>; lines: Record<string, unknown>[] }) => { header: Record<string, unknown>; lines: Record<string, unknown>[] }
> = {};

export function upgradeRecording(
  raw: { header: Record<string, unknown>; lines: Record<string, unknown>[] },
  file: string,
): { header: Record<string, unknown>; lines: Record<string, unknown>[] } {
  const version = raw.header.version;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1)
    throw new VettaError('invalid_input', `${file}: the header has no valid "version"; it is not a Vetta recording`);
  if (version > RECORDING_VERSION) {
    throw new VettaError('invalid_input', `${file} is recording format ${version}, newer than this Vetta reads (${RECORDING_VERSION}): upgrade Vetta`);
  }
  let current = raw;
  for (let v = version; v < RECORDING_VERSION; v++) {
    const step = UPGRADES[v];
    if (!step) throw new VettaError('internal', `no upgrade from recording format ${v}`);
    current = step(current);
    current.header.version = v + 1;
  }
  return current;
}

export function parseRecording(text: string, file: string): Recording {
  const rows = text.split('\n');
  if (rows.at(-1) === '') rows.pop();
  let truncated = false;
  const parsed: Record<string, unknown>[] = [];
  for (const [i, row] of rows.entries()) {
    try {
      parsed.push(JSON.parse(row) as Record<string, unknown>);
    } catch {
      // Only the last line may be incomplete: a crash while it was written.
      if (i === rows.length - 1 && i > 0) {
        truncated = true;
        break;
      }
      throw new VettaError('invalid_input', `${file}:${i + 1}: not a JSON line; the recording is damaged`);
    }
  }
  const [header, ...lines] = parsed;
  if (!header || header.format !== RECORDING_FORMAT)
    throw new VettaError('invalid_input', `${file} is not a Vetta recording (its first line has no "format": "${RECORDING_FORMAT}")`);
  const upgraded = upgradeRecording({ header, lines }, file);
  return { file, header: upgraded.header as unknown as RecordingHeader, lines: upgraded.lines as unknown as RecordingLine[], truncated };
}

export function readRecording(file: string): Recording {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new VettaError('not_found', `${file} cannot be read (${(e as NodeJS.ErrnoException).code}); give the path of a .jsonl recording`);
  }
  return parseRecording(text, file);
}

export const digest = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 16);

/** JSON with object keys sorted, so equal values always serialise the same. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

/** Drops clock fields: a replay runs on the recorded clock, but a live one would not. */
function withoutClock(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutClock);
  if (value && typeof value === 'object')
    return Object.fromEntries(
      Object.entries(value)
        .filter(([k]) => k !== 'atMs')
        .map(([k, v]) => [k, withoutClock(v)]),
    );
  return value;
}

export function normaliseRequest(instruction: Instruction, context: InterviewContext): NormalisedRequest {
  const { state } = context;
  const last = state.testRuns.at(-1);
  const code = state.codeSnapshots.at(-1)?.code;
  return {
    instruction: withoutClock(instruction),
    context: {
      problemId: context.problem.id,
      phase: state.phase,
      turns: state.conversation.length,
      conversationDigest: digest(state.conversation.map((t) => `${t.role}\u0000${t.text}`).join('\u0001')),
      lastTurns: state.conversation.slice(-2).map((t) => ({ role: t.role, text: t.text })),
      hints: state.hintsGiven.map((h) => h.level),
      runs: state.testRuns.length,
      lastRun: last ? { kind: last.kind, verdict: last.verdict, passed: last.passed, total: last.total } : null,
      code: code === undefined ? null : { digest: digest(code), lines: code.split('\n').length },
    },
  };
}

export const requestKey = (request: NormalisedRequest) => digest(canonicalJson(request));

/** Values by path ("context.lastRun.passed"), arrays whole and shortened: a diff a person can read. */
function flatten(value: unknown, path: string, out: Map<string, string>): Map<string, string> {
  if (value && typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length > 0) {
    for (const [k, v] of Object.entries(value)) flatten(v, path ? `${path}.${k}` : k, out);
  } else {
    const text = JSON.stringify(value) ?? 'undefined';
    out.set(path, text.length > 120 ? `${text.slice(0, 117)}...` : text);
  }
  return out;
}

/** The fields that differ between two values (requests, scorecards): "- path: old" / "+ path: new" lines. */
export function diffValues(recorded: unknown, today: unknown): string[] {
  const a = recorded === null || recorded === undefined ? new Map<string, string>() : flatten(recorded, '', new Map());
  const b = flatten(today, '', new Map());
  const lines: string[] = [];
  for (const key of new Set([...a.keys(), ...b.keys()])) {
    if (a.get(key) === b.get(key)) continue;
    if (a.has(key)) lines.push(`- ${key}: ${a.get(key)}`);
    if (b.has(key)) lines.push(`+ ${key}: ${b.get(key)}`);
  }
  return lines;
}

export interface CassetteEntry {
  request: NormalisedRequest;
  key: string;
  text: string;
  error?: string;
}

/**
 * The recorded LLM turns, answered by request. The same request twice (a retry after an error)
 * gets the recorded answers in order. A request not recorded gets the answer recorded at the same
 * position, so the conversation stays aligned, and the caller reports the miss.
 */
export class Cassette {
  private readonly byKey = new Map<string, CassetteEntry[]>();
  private readonly inOrder: CassetteEntry[] = [];
  private served = 0;

  constructor(lines: readonly RecordingLine[]) {
    const pending = new Map<number, Extract<RecordingLine, { type: 'llm_request' }>>();
    for (const line of lines) {
      if (line.type === 'llm_request') pending.set(line.id, line);
      if (line.type !== 'llm_response') continue;
      const request = pending.get(line.id);
      if (!request) continue;
      const entry: CassetteEntry = { request: request.request, key: request.key, text: line.text, ...(line.error !== undefined ? { error: line.error } : {}) };
      this.inOrder.push(entry);
      const queue = this.byKey.get(entry.key) ?? [];
      queue.push(entry);
      this.byKey.set(entry.key, queue);
    }
  }

  get size(): number {
    return this.inOrder.length;
  }

  take(request: NormalisedRequest): { hit: true; entry: CassetteEntry } | { hit: false; nearest: CassetteEntry | null } {
    const position = this.served++;
    const entry = this.byKey.get(requestKey(request))?.shift();
    if (entry) return { hit: true, entry };
    return { hit: false, nearest: this.inOrder[position] ?? null };
  }
}

import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import type { RawData, WebSocket } from 'ws';
import { concatPcm } from '../../src/core/pcm.ts';

/**
 * Test equipment: a loopback server speaking Deepgram's live transcription WebSocket API
 * (`/v1/listen`, linear16 only). It hears a tone code instead of speech: a word is a sine tone
 * whose pitch is its index in the vocabulary (`toneHz`), and silence is silence. Build audio with
 * `speechAudio`. From that it behaves like the service: SpeechStarted at the onset, interim
 * Results while words arrive, a final with speech_final after `endpointing` ms of silence,
 * UtteranceEnd after `utterance_end_ms` without words, a from_finalize final on Finalize, and on
 * CloseStream the rest of the results, Metadata and a normal close. Times are seconds of audio
 * received on that connection, as Deepgram's are.
 */

export const SAMPLE_RATE = 16_000;
const FRAME_SAMPLES = 320;
const SPEECH_RMS = 500;
const TONE_AMPLITUDE = 8000;
const NET0001 = 'Deepgram did not receive audio data or a text message within the timeout window. See https://dpgr.am/net0001';

/** The pitch that stands for vocabulary word `index`. */
export function toneHz(index: number): number {
  return 400 + 100 * index;
}

/**
 * Audio that the fake hears as the given words: a string is a word (a tone of `wordMs`), a number
 * is that many ms of silence. Words must be in the vocabulary the fake is started with.
 */
export function speechAudio(vocabulary: string[], parts: (string | number)[], wordMs = 240): Int16Array {
  const chunks: Int16Array[] = [];
  for (const part of parts) {
    if (typeof part === 'number') {
      chunks.push(new Int16Array(Math.round((part * SAMPLE_RATE) / 1000)));
      continue;
    }
    const index = vocabulary.indexOf(part);
    if (index < 0) throw new Error(`"${part}" is not in the fake's vocabulary`);
    const tone = new Int16Array(Math.round((wordMs * SAMPLE_RATE) / 1000));
    for (let i = 0; i < tone.length; i++) tone[i] = Math.round(TONE_AMPLITUDE * Math.sin((2 * Math.PI * toneHz(index) * i) / SAMPLE_RATE));
    chunks.push(tone);
  }
  return concatPcm(chunks);
}

export interface FakeDeepgramOptions {
  /** The words the fake can hear; word i is a tone at toneHz(i). */
  vocabulary: string[];
  /** When set, any other key is refused with 401 at the upgrade, as Deepgram does. */
  apiKey?: string;
  /** Delay before each message the fake sends. */
  latencyMs?: number;
  /** Audio between interim results while words are arriving. */
  interimEveryMs?: number;
  /** Drop (TCP reset, no close frame) a connection once it has received this many audio bytes... */
  dropAfterBytes?: number;
  /** ...or this long after it opened... */
  dropAfterMs?: number;
  /** ...for this many connections, the first ones (default 1). */
  dropConnections?: number;
  /** Close a connection that received nothing for this long (Deepgram: 10 s, NET-0001). */
  idleTimeoutMs?: number;
}

export type FakeDeepgramMessage = { type: string; [field: string]: unknown };

/** What one connection attempt brought and what the fake answered. */
export interface FakeDeepgramConnection {
  query: Record<string, string>;
  authorization: string | undefined;
  /** 101 when the upgrade was accepted. */
  status: number;
  audioBytes: number;
  /** Client messages in order: audio chunks by size, text messages by type. */
  log: ({ audio: number } | { control: string })[];
  sent: FakeDeepgramMessage[];
  closed?: { by: 'client' | 'server'; code: number };
}

export interface FakeDeepgram {
  /** Base URL for the SDK (`baseUrl`), e.g. ws://127.0.0.1:PORT. */
  url: string;
  received: { connections: FakeDeepgramConnection[] };
  close: () => Promise<void>;
}

interface Word {
  word: string;
  startSample: number;
  endSample: number;
}

/** The recognizer state of one connection. All positions are samples received on it. */
class Listener {
  private pending = Buffer.alloc(0);
  private processed = 0;
  private segmentStart = 0;
  private words: Word[] = [];
  private current: { startSample: number; crossings: number; samples: number; lastSign: number } | null = null;
  private lastWordEnd: number | null = null;
  private utteranceEndPending = false;
  private lastInterimAt = 0;
  private readonly endpointingSamples: number | null;
  private readonly utteranceEndSamples: number | null;
  private readonly interimSamples: number;
  private readonly interim: boolean;
  private readonly vadEvents: boolean;

  constructor(
    query: Record<string, string>,
    private readonly vocabulary: string[],
    interimEveryMs: number,
    private readonly emit: (message: FakeDeepgramMessage) => void,
  ) {
    const ms = (name: string) => (query[name] && query[name] !== 'false' ? Number(query[name]) : null);
    // Deepgram's default endpointing is 10 ms; "false" turns it off.
    this.endpointingSamples = toSamples(query.endpointing === undefined ? 10 : ms('endpointing'));
    this.utteranceEndSamples = toSamples(ms('utterance_end_ms'));
    this.interimSamples = toSamples(interimEveryMs)!;
    this.interim = query.interim_results === 'true';
    this.vadEvents = query.vad_events === 'true';
  }

  get received(): number {
    return this.processed + this.pending.length / 2;
  }

  hear(audio: Buffer): void {
    this.pending = Buffer.concat([this.pending, audio]);
    while (this.pending.length >= FRAME_SAMPLES * 2) {
      this.frame(this.pending.subarray(0, FRAME_SAMPLES * 2));
      this.pending = this.pending.subarray(FRAME_SAMPLES * 2);
    }
  }

  /** Finalize and CloseStream: everything received is processed and finalised now. */
  flush(fromFinalize: boolean): void {
    const whole = this.pending.length - (this.pending.length % 2);
    if (whole > 0) this.frame(this.pending.subarray(0, whole));
    this.pending = Buffer.alloc(0);
    this.endWord(this.processed);
    if (fromFinalize || this.processed > this.segmentStart) this.result(true, false, fromFinalize);
  }

  private frame(bytes: Buffer): void {
    const samples = new Int16Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length));
    const start = this.processed;
    this.processed += samples.length;
    let energy = 0;
    for (const s of samples) energy += s * s;
    if (Math.sqrt(energy / samples.length) > SPEECH_RMS) {
      if (!this.current) {
        if (this.words.length === 0 && this.vadEvents) this.emit({ type: 'SpeechStarted', channel: [0, 1], timestamp: seconds(start) });
        this.current = { startSample: start, crossings: 0, samples: 0, lastSign: Math.sign(samples[0]!) || 1 };
        this.utteranceEndPending = false;
      }
      for (const s of samples) {
        const sign = s >= 0 ? 1 : -1;
        if (sign !== this.current.lastSign) this.current.crossings++;
        this.current.lastSign = sign;
      }
      this.current.samples += samples.length;
    } else {
      this.endWord(start);
      if (this.words.length > 0 && this.endpointingSamples !== null && this.processed - this.lastWordEnd! >= this.endpointingSamples)
        this.result(true, true, false);
      if (this.utteranceEndPending && this.utteranceEndSamples !== null && this.processed - this.lastWordEnd! >= this.utteranceEndSamples) {
        this.utteranceEndPending = false;
        this.emit({ type: 'UtteranceEnd', channel: [0, 1], last_word_end: seconds(this.lastWordEnd!) });
      }
    }
    if (this.interim && this.words.length > 0 && this.processed - this.lastInterimAt >= this.interimSamples) this.result(false, false, false);
  }

  private endWord(at: number): void {
    if (!this.current) return;
    const hz = this.current.crossings / 2 / (this.current.samples / SAMPLE_RATE);
    let index = 0;
    for (let i = 1; i < this.vocabulary.length; i++) if (Math.abs(toneHz(i) - hz) < Math.abs(toneHz(index) - hz)) index = i;
    this.words.push({ word: this.vocabulary[index]!, startSample: this.current.startSample, endSample: at });
    this.current = null;
    this.lastWordEnd = at;
    this.utteranceEndPending = true;
  }

  private result(isFinal: boolean, speechFinal: boolean, fromFinalize: boolean): void {
    const words = this.words.map((w) => ({
      word: w.word,
      start: seconds(w.startSample),
      end: seconds(w.endSample),
      confidence: 0.99,
      punctuated_word: w.word,
    }));
    this.emit({
      type: 'Results',
      channel_index: [0, 1],
      duration: seconds(this.processed - this.segmentStart),
      start: seconds(this.segmentStart),
      is_final: isFinal,
      speech_final: speechFinal,
      ...(fromFinalize ? { from_finalize: true } : {}),
      channel: { alternatives: [{ transcript: words.map((w) => w.word).join(' '), confidence: words.length ? 0.99 : 0, words }] },
      metadata: { request_id: 'fake', model_info: { name: 'fake', version: '0', arch: 'fake' }, model_uuid: 'fake' },
    });
    this.lastInterimAt = this.processed;
    if (!isFinal) return;
    this.segmentStart = this.processed;
    this.words = [];
  }
}

function toSamples(ms: number | null): number | null {
  return ms === null ? null : Math.round((ms * SAMPLE_RATE) / 1000);
}

function seconds(samples: number): number {
  return samples / SAMPLE_RATE;
}

function refuse(socket: Duplex, status: number, errCode: string, message: string): void {
  const body = JSON.stringify({ err_code: errCode, err_msg: message, request_id: randomUUID() });
  const reason = status === 401 ? 'Unauthorized' : status === 404 ? 'Not Found' : 'Bad Request';
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
  );
}

export async function startFakeDeepgram(options: FakeDeepgramOptions): Promise<FakeDeepgram> {
  const connections: FakeDeepgramConnection[] = [];
  const latencyMs = options.latencyMs ?? 0;
  const wss = new WebSocketServer({ noServer: true });
  const server = createServer((_req, res) => res.writeHead(426).end());

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(req.url ?? '/', 'http://fake');
    const record: FakeDeepgramConnection = {
      query: Object.fromEntries(url.searchParams),
      authorization: req.headers.authorization,
      status: 101,
      audioBytes: 0,
      log: [],
      sent: [],
    };
    connections.push(record);
    const key = /^token (.+)$/i.exec(record.authorization ?? '')?.[1];
    if (url.pathname !== '/v1/listen') {
      record.status = 404;
      refuse(socket, 404, 'NOT_FOUND', `no route ${url.pathname}`);
    } else if (!key || (options.apiKey !== undefined && key !== options.apiKey)) {
      record.status = 401;
      refuse(socket, 401, 'INVALID_AUTH', 'Invalid credentials.');
    } else if (record.query.encoding !== 'linear16' || record.query.sample_rate === undefined) {
      record.status = 400;
      refuse(socket, 400, 'INVALID_QUERY_PARAMETER', 'the fake understands linear16 with a sample_rate only');
    } else {
      wss.handleUpgrade(req, socket, head, (ws) => serve(ws, record, connections.length - 1));
    }
  });

  function serve(ws: WebSocket, record: FakeDeepgramConnection, index: number): void {
    let closing = false;
    const send = (message: FakeDeepgramMessage) => {
      record.sent.push(message);
      const deliver = () => {
        if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(message));
      };
      if (latencyMs > 0) setTimeout(deliver, latencyMs);
      else deliver();
    };
    const serverClose = (code: number, reason: string) => {
      closing = true;
      const shut = () => {
        record.closed ??= { by: 'server', code };
        ws.close(code, reason);
      };
      if (latencyMs > 0) setTimeout(shut, latencyMs);
      else shut();
    };
    const listener = new Listener(record.query, options.vocabulary, options.interimEveryMs ?? 300, send);
    const dropping = index < (options.dropConnections ?? 1);
    const drop = () => {
      record.closed ??= { by: 'server', code: 1006 };
      ws.terminate();
    };
    const dropTimer = dropping && options.dropAfterMs !== undefined ? setTimeout(drop, options.dropAfterMs) : undefined;
    const idleMs = options.idleTimeoutMs ?? 10_000;
    let idleTimer = setTimeout(() => serverClose(1011, NET0001), idleMs);

    ws.on('message', (data: RawData, isBinary: boolean) => {
      if (closing) return;
      clearTimeout(idleTimer);
      idleTimer = setTimeout(() => serverClose(1011, NET0001), idleMs);
      const bytes = Buffer.isBuffer(data) ? data : Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
      if (isBinary) {
        if (dropping && options.dropAfterBytes !== undefined && record.audioBytes + bytes.length > options.dropAfterBytes) {
          drop();
          return;
        }
        record.audioBytes += bytes.length;
        record.log.push({ audio: bytes.length });
        listener.hear(bytes);
        return;
      }
      let type: string;
      try {
        type = String((JSON.parse(bytes.toString('utf8')) as { type?: unknown }).type);
      } catch {
        type = 'invalid';
      }
      record.log.push({ control: type });
      if (type === 'Finalize') listener.flush(true);
      else if (type === 'CloseStream') {
        listener.flush(false);
        send({
          type: 'Metadata',
          transaction_key: 'deprecated',
          request_id: randomUUID(),
          sha256: '',
          created: new Date().toISOString(),
          duration: seconds(listener.received),
          channels: 1,
        });
        serverClose(1000, '');
      }
    });
    ws.on('close', (code: number) => {
      clearTimeout(idleTimer);
      clearTimeout(dropTimer);
      record.closed ??= { by: 'client', code };
    });
  }

  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `ws://127.0.0.1:${port}`,
    received: { connections },
    close: () =>
      new Promise<void>((r) => {
        for (const ws of wss.clients) ws.terminate();
        wss.close();
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

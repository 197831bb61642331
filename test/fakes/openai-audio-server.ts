import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WavStreamReader } from '../../src/core/wav.ts';
import { toneHz } from './deepgram-server.ts';

/**
 * Test equipment: a loopback server speaking OpenAI's audio API, as OpenAI and the local servers
 * that copy it (Kokoro-FastAPI, whisper.cpp's server, faster-whisper servers) do.
 *
 * `POST /v1/audio/speech` takes {model, input, voice, response_format} as JSON and streams raw PCM
 * for "pcm" (24 kHz s16le mono, no header): a tone of `msPerChar` a character, in pieces at
 * `realTimeFactor` times real time after `firstAudioMs`.
 *
 * `POST /v1/audio/transcriptions` takes multipart form data (file, model, response_format,
 * language) and answers {"text": ...}. It hears the tone code of the Deepgram fake: a word is a
 * burst of tone at toneHz(its index in `vocabulary`), and silence separates words.
 */

export const OPENAI_PCM_RATE = 24_000;

export interface FakeOpenAiAudioOptions {
  /** When set, a request without "Authorization: Bearer <apiKey>" is refused with 401. */
  apiKey?: string;
  vocabulary?: string[];
  firstAudioMs?: number;
  realTimeFactor?: number;
  msPerChar?: number;
  /** Answer the next requests with this status instead, this many times (default: every time). */
  failStatus?: number;
  failTimes?: number;
  /** Delay before a transcription is answered. */
  transcribeMs?: number;
}

export interface SpeechRequest {
  body: { model?: string; input?: string; voice?: string; response_format?: string };
  authorization: string | undefined;
  /** Samples at 24 kHz the fake sent; fewer when the client hung up first. */
  sentSamples: number;
  closedEarly: boolean;
}

export interface TranscriptionRequest {
  model: string | null;
  language: string | null;
  responseFormat: string | null;
  authorization: string | undefined;
  /** The uploaded file's format, and its length in ms. */
  format: { sampleRate: number; channels: number; bitsPerSample: number } | null;
  durationMs: number;
  text: string;
  /** performance.now() when the request came in, and when its answer went out. */
  receivedAt: number;
  answeredAt: number | null;
}

export interface FakeOpenAiAudio {
  /** e.g. http://127.0.0.1:PORT/v1, for OPENAI_TTS_BASE_URL / OPENAI_STT_BASE_URL. */
  baseUrl: string;
  options: FakeOpenAiAudioOptions;
  speech: SpeechRequest[];
  transcriptions: TranscriptionRequest[];
  close(): Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, Math.max(0, ms)));

/** What the fake says for a text: 24 kHz PCM, a tone of msPerChar per character. */
export function fakeSpeechPcm(text: string, msPerChar: number): Int16Array {
  const samples = new Int16Array(Math.round((text.length * msPerChar * OPENAI_PCM_RATE) / 1000));
  for (let i = 0; i < samples.length; i++) samples[i] = Math.round(6000 * Math.sin((2 * Math.PI * 300 * i) / OPENAI_PCM_RATE));
  return samples;
}

/** The words in 16-bit mono PCM by the tone code: each burst's pitch, from its zero crossings. */
function hear(samples: Int16Array, sampleRate: number, vocabulary: string[]): string {
  const frame = Math.round(sampleRate / 100);
  const words: string[] = [];
  let burst: { crossings: number; length: number } | null = null;
  const endBurst = () => {
    if (burst && burst.length >= frame * 5 && vocabulary.length > 0) {
      const hz = (burst.crossings / 2 / burst.length) * sampleRate;
      let index = 0;
      for (let i = 1; i < vocabulary.length; i++) if (Math.abs(toneHz(i) - hz) < Math.abs(toneHz(index) - hz)) index = i;
      words.push(vocabulary[index]!);
    }
    burst = null;
  };
  for (let start = 0; start + frame <= samples.length; start += frame) {
    const piece = samples.subarray(start, start + frame);
    const level = Math.sqrt(piece.reduce((sum, s) => sum + s * s, 0) / piece.length);
    if (level < 500) {
      endBurst();
      continue;
    }
    burst ??= { crossings: 0, length: 0 };
    for (let i = start === 0 ? 1 : 0; i < piece.length; i++) if (samples[start + i - 1]! < 0 !== piece[i]! < 0) burst.crossings++;
    burst.length += piece.length;
  }
  endBurst();
  return words.join(' ');
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export async function startFakeOpenAiAudio(initial: FakeOpenAiAudioOptions = {}): Promise<FakeOpenAiAudio> {
  const options: FakeOpenAiAudioOptions = { firstAudioMs: 0, realTimeFactor: Infinity, msPerChar: 20, transcribeMs: 0, vocabulary: [], ...initial };
  let failed = 0;
  const fake: FakeOpenAiAudio = { baseUrl: '', options, speech: [], transcriptions: [], close: async () => {} };

  const refused = (req: IncomingMessage, res: ServerResponse): boolean => {
    if (options.apiKey && req.headers.authorization !== `Bearer ${options.apiKey}`) {
      res
        .writeHead(401, { 'content-type': 'application/json' })
        .end(JSON.stringify({ error: { message: 'Incorrect API key provided', type: 'invalid_request_error' } }));
      return true;
    }
    if (options.failStatus && (options.failTimes === undefined || failed < options.failTimes)) {
      failed++;
      res.writeHead(options.failStatus, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: 'scripted failure' } }));
      return true;
    }
    return false;
  };

  const speech = async (req: IncomingMessage, res: ServerResponse, raw: Buffer) => {
    const request: SpeechRequest = { body: JSON.parse(raw.toString()), authorization: req.headers.authorization, sentSamples: 0, closedEarly: false };
    fake.speech.push(request);
    if (refused(req, res)) return;
    if (request.body.response_format !== 'pcm' || !request.body.input || !request.body.model || !request.body.voice) {
      res
        .writeHead(400, { 'content-type': 'application/json' })
        .end(JSON.stringify({ error: { message: 'this fake speaks pcm only, and needs model, input and voice' } }));
      return;
    }
    const pcm = fakeSpeechPcm(request.body.input, options.msPerChar!);
    let finished = false;
    res.on('close', () => (request.closedEarly = !finished));
    res.writeHead(200, { 'content-type': 'audio/pcm', 'transfer-encoding': 'chunked' });
    const pieceSamples = OPENAI_PCM_RATE / 25;
    const startedAt = performance.now() + options.firstAudioMs!;
    for (let at = 0; at < pcm.length; at += pieceSamples) {
      const dueMs = startedAt + ((at / OPENAI_PCM_RATE) * 1000) / options.realTimeFactor!;
      await sleep(dueMs - performance.now());
      if (res.destroyed) return;
      const piece = pcm.subarray(at, at + pieceSamples);
      res.write(Buffer.from(piece.buffer, piece.byteOffset, piece.byteLength));
      request.sentSamples += piece.length;
    }
    finished = true;
    res.end();
  };

  const transcription = async (req: IncomingMessage, res: ServerResponse, raw: Buffer) => {
    const form = await new Response(raw, { headers: { 'content-type': req.headers['content-type'] ?? '' } }).formData();
    const file = form.get('file');
    const request: TranscriptionRequest = {
      model: form.get('model') as string | null,
      language: form.get('language') as string | null,
      responseFormat: form.get('response_format') as string | null,
      authorization: req.headers.authorization,
      format: null,
      durationMs: 0,
      text: '',
      receivedAt: performance.now(),
      answeredAt: null,
    };
    fake.transcriptions.push(request);
    if (refused(req, res)) return;
    if (!(file instanceof Blob) || !request.model) {
      res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: 'file and model are required' } }));
      return;
    }
    const wav = new WavStreamReader();
    const pcm = wav.push(Buffer.from(await file.arrayBuffer()));
    request.format = wav.format;
    if (!wav.format) {
      res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: 'not a WAV file' } }));
      return;
    }
    const samples = new Int16Array(pcm.buffer.slice(pcm.byteOffset, pcm.byteOffset + pcm.length - (pcm.length % 2)));
    request.durationMs = (samples.length * 1000) / wav.format.sampleRate;
    request.text = hear(samples, wav.format.sampleRate, options.vocabulary!);
    await sleep(options.transcribeMs!);
    request.answeredAt = performance.now();
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ text: request.text }));
  };

  const server = createServer((req, res) => {
    void (async () => {
      const raw = await readBody(req);
      if (req.method === 'POST' && req.url === '/v1/audio/speech') return speech(req, res, raw);
      if (req.method === 'POST' && req.url === '/v1/audio/transcriptions') return transcription(req, res, raw);
      res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: 'not found' } }));
    })().catch((error: Error) => {
      if (!res.headersSent) res.writeHead(500).end(error.message);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fake.baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  fake.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return fake;
}

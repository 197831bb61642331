import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import type { WebSocket } from 'ws';

/**
 * Test equipment: a loopback ElevenLabs speaking the multi-stream-input WebSocket
 * (`/v1/text-to-speech/{voice_id}/multi-stream-input`) and the HTTP stream endpoint
 * (`POST /v1/text-to-speech/{voice_id}/stream`), with the documented message shapes: client
 * messages in snake_case (`context_id`, `flush`, `close_context`, `close_socket`), server messages
 * `{audio, contextId}` and `{isFinal: true, contextId}`.
 *
 * The "speech" is deterministic: `fakeSpeech(text)` is a tone whose length is proportional to the
 * text, so a test can compare the audio it got with exactly what each sentence should have produced.
 * It is delivered in small pieces after a first-audio latency, at a chosen multiple of real time.
 */
export interface FakeElevenLabsOptions {
  /** The only key accepted (header `xi-api-key`, or `xi_api_key` in a context's first message). */
  apiKey?: string;
  /** From a flush to its first audio. */
  firstAudioMs?: number;
  /** Audio is sent at this many times real time; Infinity sends it as fast as the socket takes it. */
  realTimeFactor?: number;
  /** Audio per message. */
  pieceMs?: number;
  /** Length of the tone per character of text. */
  msPerChar?: number;
  /** Answer WebSocket handshakes and HTTP requests with this status (401, 429, 500, ...). */
  failStatus?: number;
  /** Only this many requests fail with failStatus; then the fake recovers. */
  failTimes?: number;
  /** Answer WebSocket upgrades with a plain HTTP 400, like a proxy that does not pass them on. */
  refuseUpgrade?: boolean;
  /** Cut the next WebSocket off (no close frame) after it has carried this many audio pieces. */
  dropAfterPieces?: number;
}

/** The benchmark's default profile: first audio after 250 ms, then 4 x real time. */
export const BENCHMARK_PROFILE: FakeElevenLabsOptions = { firstAudioMs: 250, realTimeFactor: 4 };

export const FAKE_ELEVENLABS_KEY = 'sk_fake_0123456789abcdef';

export interface FakeElevenLabs {
  /** The http base URL (ELEVENLABS_BASE_URL); WebSockets are served at the ws:// equivalent. */
  url: string;
  /** Live options: a test may change them between requests. */
  options: FakeElevenLabsOptions;
  /** WebSocket handshakes that were accepted, in order. */
  connections: { path: string; query: Record<string, string> }[];
  /** Every WebSocket message received, parsed, with the index of its connection. */
  received: { connection: number; message: Record<string, unknown> }[];
  /** HTTP stream requests that were served. */
  httpRequests: { path: string; query: Record<string, string>; body: Record<string, unknown> }[];
  /** Texts whose audio generation started, by context ("http" for the HTTP endpoint). */
  generated: { contextId: string; text: string }[];
  /** WebSocket upgrades answered with an error status. */
  upgradesRefused: number;
  /** Cuts every open WebSocket off, as a network drop would. */
  disconnectAll(): void;
  close(): Promise<void>;
}

const MAX_CONTEXTS = 5;

/** The PCM the fake produces for a text at a rate: a tone of msPerChar per character. */
export function fakeSpeech(text: string, sampleRate = 16_000, msPerChar = 20): Int16Array {
  const trimmed = text.trim();
  const samples = new Int16Array(Math.round((trimmed.length * msPerChar * sampleRate) / 1000));
  const hz = 220 + 20 * (trimmed.length % 20);
  for (let i = 0; i < samples.length; i++) samples[i] = Math.round(6000 * Math.sin((2 * Math.PI * hz * i) / sampleRate));
  return samples;
}

function queryOf(url: URL): Record<string, string> {
  return Object.fromEntries(url.searchParams);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Context {
  buffer: string;
  /** Generations run one after another, in the order their text was flushed. */
  generating: Promise<void>;
}

export async function startFakeElevenLabs(initial: FakeElevenLabsOptions = {}): Promise<FakeElevenLabs> {
  const options: FakeElevenLabsOptions = { apiKey: FAKE_ELEVENLABS_KEY, firstAudioMs: 0, realTimeFactor: Infinity, pieceMs: 40, msPerChar: 20, ...initial };
  const fake: FakeElevenLabs = {
    url: '',
    options,
    connections: [],
    received: [],
    httpRequests: [],
    generated: [],
    upgradesRefused: 0,
    disconnectAll: () => {},
    close: async () => {},
  };
  let failures = 0;

  /** The scripted failure for this request, if one is due. */
  const scriptedFailure = (): number | undefined => {
    if (!options.failStatus) return undefined;
    if (options.failTimes !== undefined && failures >= options.failTimes) return undefined;
    failures++;
    return options.failStatus;
  };

  const errorBody = (status: number) =>
    JSON.stringify({
      detail:
        status === 401
          ? { status: 'invalid_api_key', message: 'Invalid API key' }
          : status === 429
            ? { status: 'too_many_concurrent_requests', message: 'Too many requests' }
            : { status: 'internal_error', message: 'Something went wrong' },
    });

  const sampleRateOf = (query: Record<string, string>) => {
    const match = /^pcm_(\d+)$/.exec(query.output_format ?? '');
    return match ? Number(match[1]) : null;
  };

  /** Sends `text`'s speech in pieces, paced; stops early when `send` reports the peer is gone. */
  async function deliver(text: string, sampleRate: number, send: (pcm: Buffer) => boolean): Promise<void> {
    await sleep(options.firstAudioMs ?? 0);
    const pcm = fakeSpeech(text, sampleRate, options.msPerChar);
    const bytes = Buffer.from(pcm.buffer, pcm.byteOffset, pcm.byteLength);
    const pieceBytes = Math.max(2, Math.round(((options.pieceMs ?? 40) * sampleRate) / 1000) * 2);
    const factor = options.realTimeFactor ?? Infinity;
    const start = Date.now();
    for (let offset = 0, i = 0; offset < bytes.length; offset += pieceBytes, i++) {
      const dueMs = Number.isFinite(factor) ? (i * (options.pieceMs ?? 40)) / factor : 0;
      const waitMs = start + dueMs - Date.now();
      if (waitMs > 0) await sleep(waitMs);
      else await new Promise((r) => setImmediate(r));
      if (!send(bytes.subarray(offset, offset + pieceBytes))) return;
    }
  }

  const wss = new WebSocketServer({ noServer: true });

  function serveSocket(ws: WebSocket, connection: number, sampleRate: number, keyInHeader: boolean): void {
    const contexts = new Map<string, Context>();
    // A closed context still flushing its audio counts against the limit until it is done.
    let closing = 0;
    let authorized = keyInHeader;
    let piecesSent = 0;
    let dropAfter = options.dropAfterPieces;
    options.dropAfterPieces = undefined;
    const open = () => ws.readyState === ws.OPEN;
    const fail = (error: string, message: string) => {
      ws.send(JSON.stringify({ message, error, code: 1008 }));
      ws.close(1008, message.slice(0, 120));
    };
    const sendAudio = (contextId: string) => (pcm: Buffer) => {
      if (!open()) return false;
      ws.send(JSON.stringify({ audio: pcm.toString('base64'), normalizedAlignment: null, alignment: null, contextId }));
      piecesSent++;
      if (dropAfter !== undefined && piecesSent >= dropAfter) {
        dropAfter = undefined;
        ws.terminate();
        return false;
      }
      return true;
    };
    const flush = (contextId: string, context: Context) => {
      const text = context.buffer.trim();
      context.buffer = '';
      if (!text) return;
      context.generating = context.generating.then(() => {
        if (!open()) return;
        fake.generated.push({ contextId, text });
        return deliver(text, sampleRate, sendAudio(contextId));
      });
    };
    /** Flushed audio finishes, unflushed text is dropped, then the context reports isFinal. */
    const closeContext = (contextId: string, context: Context) => {
      context.buffer = '';
      contexts.delete(contextId);
      closing++;
      return context.generating.then(() => {
        closing--;
        if (open()) ws.send(JSON.stringify({ isFinal: true, contextId }));
      });
    };

    ws.on('message', (data) => {
      let message: Record<string, unknown>;
      try {
        message = JSON.parse(String(data)) as Record<string, unknown>;
      } catch {
        fail('invalid_input_message', 'Could not parse input message, make sure it is a json and follows the schema outlined in protocol.');
        return;
      }
      fake.received.push({ connection, message });
      if (!authorized) {
        if (message.xi_api_key !== options.apiKey) {
          fail('invalid_api_key', 'Invalid API key');
          return;
        }
        authorized = true;
      }
      if (message.close_socket === true) {
        void Promise.all([...contexts].map(([id, context]) => closeContext(id, context))).then(() => ws.close(1000));
        return;
      }
      const contextId = typeof message.context_id === 'string' ? message.context_id : 'default';
      let context = contexts.get(contextId);
      if (message.close_context === true) {
        if (context) void closeContext(contextId, context);
        return;
      }
      if (!context) {
        if (contexts.size + closing >= MAX_CONTEXTS) {
          fail(
            'max_active_conversations',
            `Maximum simultaneous contexts per WebSocket connection exceeded (${MAX_CONTEXTS}). Please close an existing context before opening a new one.`,
          );
          return;
        }
        context = { buffer: '', generating: Promise.resolve() };
        contexts.set(contextId, context);
      }
      if (typeof message.text === 'string') context.buffer += message.text;
      if (message.flush === true) flush(contextId, context);
    });
  }

  const refuse = (socket: Duplex, status: number, body: string) => {
    fake.upgradesRefused++;
    socket.end(
      `HTTP/1.1 ${status} ${status === 401 ? 'Unauthorized' : 'Error'}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
    );
  };

  async function serveHttp(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let raw = '';
    for await (const chunk of req) raw += chunk;
    const url = new URL(req.url ?? '/', 'http://fake');
    if (req.method !== 'POST' || !/^\/v1\/text-to-speech\/[^/]+\/stream$/.test(url.pathname)) {
      res
        .writeHead(404, { 'content-type': 'application/json' })
        .end(JSON.stringify({ detail: { status: 'not_found', message: `no route ${req.method} ${url.pathname}` } }));
      return;
    }
    const failure = scriptedFailure() ?? (req.headers['xi-api-key'] === options.apiKey ? undefined : 401);
    if (failure) {
      res.writeHead(failure, { 'content-type': 'application/json' }).end(errorBody(failure));
      return;
    }
    const query = queryOf(url);
    const sampleRate = sampleRateOf(query);
    const body = JSON.parse(raw || '{}') as Record<string, unknown>;
    if (!sampleRate || typeof body.text !== 'string') {
      res
        .writeHead(422, { 'content-type': 'application/json' })
        .end(JSON.stringify({ detail: { status: 'invalid_request', message: 'this fake speaks pcm_* with a text' } }));
      return;
    }
    fake.httpRequests.push({ path: url.pathname, query, body });
    fake.generated.push({ contextId: 'http', text: body.text.trim() });
    res.writeHead(200, { 'content-type': 'audio/pcm' });
    await deliver(body.text, sampleRate, (pcm) => {
      if (res.destroyed) return false;
      res.write(pcm);
      return true;
    });
    res.end();
  }

  const server = createServer((req, res) => void serveHttp(req, res));
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(req.url ?? '/', 'http://fake');
    if (options.refuseUpgrade) return refuse(socket, 400, JSON.stringify({ error: 'upgrades are not allowed through this proxy' }));
    if (!/^\/v1\/text-to-speech\/[^/]+\/multi-stream-input$/.test(url.pathname))
      return refuse(socket, 404, JSON.stringify({ detail: { status: 'not_found', message: 'no such endpoint' } }));
    const failure = scriptedFailure();
    if (failure) return refuse(socket, failure, errorBody(failure));
    const key = req.headers['xi-api-key'];
    if (key !== undefined && key !== options.apiKey) return refuse(socket, 401, errorBody(401));
    const query = queryOf(url);
    const sampleRate = sampleRateOf(query);
    if (!sampleRate) return refuse(socket, 400, JSON.stringify({ detail: { status: 'invalid_request', message: 'this fake speaks pcm_* only' } }));
    wss.handleUpgrade(req, socket, head, (ws) => {
      fake.connections.push({ path: url.pathname, query });
      serveSocket(ws, fake.connections.length - 1, sampleRate, key !== undefined);
    });
  });

  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  fake.disconnectAll = () => {
    for (const ws of wss.clients) ws.terminate();
  };
  fake.close = () =>
    new Promise<void>((resolve) => {
      for (const ws of wss.clients) ws.terminate();
      wss.close();
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return fake;
}

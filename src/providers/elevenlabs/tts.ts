import type { ElevenLabs, ElevenLabsClient } from '@elevenlabs/elevenlabs-js';
// The SDK's wire schemas (snake_case client messages, camelCase server ones): types only.
import type * as wire from '@elevenlabs/elevenlabs-js/serialization/index.js';
import type { RawData, WebSocket } from 'ws';
import { unlessAborted } from '../../core/abort.js';
import { AsyncQueue } from '../../core/async-queue.js';
import { PcmDecoder } from '../../core/pcm.js';
import { retryUntilFirst } from '../../core/retry.js';
import { isRetryableStatus, ProviderError } from '../errors.js';
import type { SpeechSynthesizer } from '../spec.js';

/** George, a stock voice every account has. */
export const DEFAULT_ELEVENLABS_VOICE = 'JBFqnCBsd6RMkjVDRZzb';
/** Flash v2.5: ElevenLabs' lowest-latency model. */
export const DEFAULT_ELEVENLABS_MODEL = 'eleven_flash_v2_5';
export const ELEVENLABS_BASE_URL = 'https://api.elevenlabs.io';

export type PcmOutputFormat = Extract<ElevenLabs.TextToSpeechStreamRequestOutputFormat, `pcm_${string}`>;

export interface ElevenLabsTtsOptions {
  apiKey: string;
  voiceId?: string;
  modelId?: string;
  /** An http(s) endpoint speaking ElevenLabs' API (a proxy, or a test server); ws(s) is derived. */
  baseUrl?: string;
  /** pcm_16000 is Vetta's own rate; any other is resampled to it. */
  outputFormat?: PcmOutputFormat;
  voiceSettings?: ElevenLabs.RealtimeVoiceSettings;
  /** The WebSocket handshake, and the HTTP fallback's wait for response headers. */
  connectTimeoutMs?: number;
  /** The longest wait for the next piece of audio of a sentence before it counts as failed. */
  audioTimeoutMs?: number;
  retries?: number;
  backoffMs?: number;
}

type ClientMessage = wire.InitializeConnectionMulti.Raw | wire.SendTextMulti.Raw | wire.CloseContext.Raw | wire.CloseSocket.Raw;
/**
 * Audio, a context's end, or an error report ({message, error, code}, which the SDK does not type).
 * The SDK's schemas disagree on the end marker's spelling (FinalOutputMulti: isFinal; the combined
 * message: is_final), so both are read.
 */
type ServerMessage = wire.WebsocketTtsServerMessageMulti.Raw & Partial<wire.FinalOutputMulti.Raw> & { message?: string; error?: string; code?: number };
type ContextEvent = { kind: 'audio'; bytes: Buffer } | { kind: 'final' } | { kind: 'failed'; error: ProviderError } | { kind: 'aborted' };

const AUTH_STATUSES = new Set([401, 403]);

function statusError(status: number, detail: string | undefined, endpoint: string): ProviderError {
  const retryable = isRetryableStatus(status);
  const answered = `HTTP ${status} from the ${endpoint} endpoint`;
  // ElevenLabs answers 401 both for a bad key and for an account out of credits; the detail tells them apart.
  if (detail === 'quota_exceeded')
    return new ProviderError('elevenlabs', `the account is out of credits (${answered}); top it up, or use --tts espeak`, { status });
  if (AUTH_STATUSES.has(status)) return new ProviderError('elevenlabs', `the API key was rejected (${answered}); check ELEVENLABS_API_KEY`, { status });
  if (status === 429) return new ProviderError('elevenlabs', `too many requests (${answered}); wait a moment, or use --tts espeak`, { status, retryable });
  if (status === 404) return new ProviderError('elevenlabs', `voice or model not found (${answered}); check ELEVENLABS_VOICE_ID`, { status });
  return new ProviderError('elevenlabs', `the service failed (${answered})${retryable ? '; try again, or use --tts espeak' : ''}`, { status, retryable });
}

/** `detail.status` of an ElevenLabs error body, e.g. "invalid_api_key" or "quota_exceeded". */
function detailStatus(body: unknown): string | undefined {
  const parsed = typeof body === 'string' ? safeJson(body) : body;
  const status = (parsed as { detail?: { status?: unknown } } | null)?.detail?.status;
  return typeof status === 'string' ? status : undefined;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/**
 * One multi-stream-input connection. Many contexts (one per sentence) share it; server messages are
 * routed by contextId, and audio for a context nobody listens to any more (a cancelled sentence
 * still flushing on the server) is dropped here.
 */
class MultiStreamSocket {
  private readonly listeners = new Map<string, (event: ContextEvent) => void>();
  private failure: ProviderError | null = null;
  private closedByUs = false;

  constructor(private readonly ws: WebSocket) {
    ws.on('message', (data) => this.receive(data));
    ws.on('close', (code, reason) => this.closed(code, reason.toString()));
    // 'close' always follows 'error' and carries what the caller needs.
    ws.on('error', () => {});
  }

  static async open(url: string, apiKey: string, timeoutMs: number): Promise<MultiStreamSocket> {
    // Loaded on first use: most starts of Vetta never open a socket.
    const { default: WebSocket } = await import('ws');
    return new Promise((resolve, reject) => {
      // The key travels in a header, never in the URL, so it cannot appear in a logged address.
      const ws = new WebSocket(url, { headers: { 'xi-api-key': apiKey }, handshakeTimeout: timeoutMs });
      ws.on('error', (error) =>
        reject(new ProviderError('elevenlabs', `cannot open the streaming connection (${error.message})`, { retryable: true, cause: error })),
      );
      ws.once('unexpected-response', (request, response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (piece: string) => (body += piece.slice(0, 2000)));
        response.on('end', () => {
          reject(statusError(response.statusCode ?? 0, detailStatus(body), 'WebSocket'));
          request.destroy();
        });
      });
      ws.once('open', () => resolve(new MultiStreamSocket(ws)));
    });
  }

  get usable(): boolean {
    return this.failure === null && this.ws.readyState === this.ws.OPEN;
  }

  /** Routes a context's events to the listener until the returned function is called. */
  listen(contextId: string, listener: (event: ContextEvent) => void): () => void {
    this.listeners.set(contextId, listener);
    if (this.failure) listener({ kind: 'failed', error: this.failure });
    return () => this.listeners.delete(contextId);
  }

  send(message: ClientMessage): void {
    if (this.ws.readyState === this.ws.OPEN) this.ws.send(JSON.stringify(message));
  }

  /** Says goodbye (close_socket, then the close handshake) and resolves once the socket is closed. */
  close(): Promise<void> {
    this.closedByUs = true;
    if (this.ws.readyState === this.ws.CLOSED) return Promise.resolve();
    const closed = new Promise<void>((resolve) => this.ws.once('close', () => resolve()));
    this.send({ close_socket: true });
    this.ws.close(1000);
    return closed;
  }

  private receive(data: RawData): void {
    const message = safeJson(String(data)) as ServerMessage | null;
    if (!message) return;
    const listener = message.contextId ? this.listeners.get(message.contextId) : undefined;
    if (message.audio) listener?.({ kind: 'audio', bytes: Buffer.from(message.audio, 'base64') });
    if (message.isFinal || message.is_final) listener?.({ kind: 'final' });
    if (message.error) this.abandon(this.serverError(message.error, message.message));
  }

  private serverError(code: string, text: string | undefined): ProviderError {
    if (/api.?key|unauthori[sz]ed|authenticat/i.test(`${code} ${text ?? ''}`))
      return new ProviderError('elevenlabs', `the API key was rejected (${code}); check ELEVENLABS_API_KEY`);
    if (code === 'quota_exceeded') return new ProviderError('elevenlabs', 'the account is out of credits; top it up, or use --tts espeak');
    return new ProviderError('elevenlabs', `the streaming connection reported ${code}`, { retryable: true });
  }

  private closed(code: number, reason: string): void {
    if (this.closedByUs || this.failure) return;
    this.abandon(
      /api.?key/i.test(reason)
        ? this.serverError('invalid_api_key', reason)
        : new ProviderError('elevenlabs', `the streaming connection closed (code ${code})`, { retryable: true }),
    );
  }

  /** Fails every listening context and closes: a later sentence opens a new connection. */
  abandon(error: ProviderError): void {
    this.failure ??= error;
    for (const listener of this.listeners.values()) listener({ kind: 'failed', error: this.failure });
    if (this.ws.readyState === this.ws.OPEN) this.ws.close(1000);
  }
}

/**
 * ElevenLabs text-to-speech, streamed. Each sentence is one context on a shared multi-stream-input
 * WebSocket, so the second sentence does not pay for a new handshake and cancelling one sentence
 * does not tear the connection down. When the WebSocket cannot be opened at all (a proxy that
 * refuses upgrades), the SDK's HTTP streaming endpoint takes over for the rest of the session.
 */
/** Errors that say the host itself cannot be reached, whatever the protocol. */
const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);

export class ElevenLabsTts implements SpeechSynthesizer {
  readonly name = 'elevenlabs';
  private readonly apiKey: string;
  private readonly voiceId: string;
  private readonly modelId: string;
  private readonly outputFormat: PcmOutputFormat;
  private readonly sampleRate: number;
  private readonly voiceSettings: ElevenLabs.RealtimeVoiceSettings | undefined;
  private readonly socketUrl: string;
  private readonly baseUrl: string;
  /** The SDK takes seconds to load, so it is loaded only when the HTTP fallback is first needed. */
  private client: Promise<{ client: ElevenLabsClient; isSdkError: (e: unknown) => e is { statusCode?: number; body?: unknown } }> | null = null;
  private readonly connectTimeoutMs: number;
  private readonly audioTimeoutMs: number;
  private readonly retries: number;
  private readonly backoffMs: number;
  private connecting: Promise<MultiStreamSocket> | null = null;
  private httpOnly = false;
  private contexts = 0;

  constructor(options: ElevenLabsTtsOptions) {
    this.apiKey = options.apiKey;
    this.voiceId = options.voiceId ?? DEFAULT_ELEVENLABS_VOICE;
    this.modelId = options.modelId ?? DEFAULT_ELEVENLABS_MODEL;
    this.outputFormat = options.outputFormat ?? 'pcm_16000';
    this.sampleRate = Number(this.outputFormat.slice('pcm_'.length));
    this.voiceSettings = options.voiceSettings;
    this.connectTimeoutMs = options.connectTimeoutMs ?? 5_000;
    this.audioTimeoutMs = options.audioTimeoutMs ?? 10_000;
    // One more try, and only before a sentence's first audio: once words have been heard, trying
    // again would say them twice. A single quick retry covers a dropped idle connection or a
    // passing 5xx; a longer wait would leave the candidate in silence, which is worse than an error.
    this.retries = options.retries ?? 1;
    this.backoffMs = options.backoffMs ?? 250;
    const baseUrl = (options.baseUrl ?? ELEVENLABS_BASE_URL).replace(/\/+$/, '');
    const query = new URLSearchParams({ model_id: this.modelId, output_format: this.outputFormat, auto_mode: 'true', inactivity_timeout: '180' });
    this.socketUrl = `${baseUrl.replace(/^http/, 'ws')}/v1/text-to-speech/${encodeURIComponent(this.voiceId)}/multi-stream-input?${query}`;
    // The SDK would retry 429s and 5xx itself, honouring Retry-After up to a minute, and wait up to
    // 240 s for headers: both far too long for a voice. The retry policy above is the only one.
    this.baseUrl = baseUrl;
  }

  private sdk() {
    this.client ??= import('@elevenlabs/elevenlabs-js').then(({ ElevenLabsClient, ElevenLabsError }) => ({
      client: new ElevenLabsClient({ apiKey: this.apiKey, baseUrl: this.baseUrl, maxRetries: 0, timeoutInSeconds: this.connectTimeoutMs / 1000 }),
      isSdkError: (e: unknown): e is { statusCode?: number; body?: unknown } => e instanceof ElevenLabsError,
    }));
    return this.client;
  }

  async *synthesize(text: string, signal?: AbortSignal): AsyncGenerator<Int16Array> {
    if (text.trim() === '') return;
    yield* retryUntilFirst(() => this.samples(text, signal), { retries: this.retries, backoffMs: this.backoffMs }, signal);
  }

  private async *samples(text: string, signal?: AbortSignal): AsyncGenerator<Int16Array> {
    const decoder = new PcmDecoder(this.sampleRate);
    for await (const bytes of this.audio(text, signal)) {
      const samples = decoder.push(bytes);
      if (samples.length > 0) yield samples;
    }
  }

  /** Ends the shared connection; a later sentence would open a new one. */
  async close(): Promise<void> {
    const connecting = this.connecting;
    this.connecting = null;
    const socket = await connecting?.catch(() => null);
    await socket?.close();
  }

  /** The sentence's raw PCM at the configured rate, over the WebSocket or else over HTTP. */
  private async *audio(text: string, signal?: AbortSignal): AsyncGenerator<Buffer> {
    if (!this.httpOnly) {
      let socket: MultiStreamSocket | null = null;
      try {
        socket = await unlessAborted(this.connection(), signal);
      } catch (error) {
        if ((error as ProviderError).status !== undefined && AUTH_STATUSES.has((error as ProviderError).status!)) throw error;
        // Nothing listens at that address (or it has no name): HTTP to the same host would fail the
        // same way, after seconds spent loading the SDK.
        const code = ((error as ProviderError).cause as NodeJS.ErrnoException | undefined)?.code;
        if (code && UNREACHABLE.has(code))
          throw new ProviderError('elevenlabs', `cannot reach ${new URL(this.baseUrl).host} (${code})`, {
            retryable: true,
            cause: (error as ProviderError).cause,
          });
        // What kept the WebSocket from opening (a proxy refusing upgrades, a handshake timing out)
        // will most likely do it again: stop paying for a failed handshake before every sentence
        // and stream over HTTP from now on.
        this.httpOnly = true;
      }
      if (signal?.aborted) return;
      if (socket) {
        yield* this.overSocket(socket, text, signal);
        return;
      }
    }
    yield* this.overHttp(text, signal);
  }

  /**
   * The open connection, or a new one when it dropped. A handshake is not cancelled by a sentence's
   * abort: the next sentence will want the connection anyway.
   */
  private async connection(): Promise<MultiStreamSocket> {
    const current = await this.connecting?.catch(() => null);
    if (current?.usable) return current;
    const opening = MultiStreamSocket.open(this.socketUrl, this.apiKey, this.connectTimeoutMs);
    this.connecting = opening;
    opening.catch(() => {
      if (this.connecting === opening) this.connecting = null;
    });
    return opening;
  }

  private async *overSocket(socket: MultiStreamSocket, text: string, signal?: AbortSignal): AsyncGenerator<Buffer> {
    const contextId = `vetta-${++this.contexts}`;
    const events = new AsyncQueue<ContextEvent>();
    const stopListening = socket.listen(contextId, (event) => events.push(event));
    const onAbort = () => {
      // The context was closed right after its flush, so the server already knows to end it; what
      // is still flushing is dropped by the socket once nobody listens to this context.
      stopListening();
      events.push({ kind: 'aborted' });
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    let timer: NodeJS.Timeout | undefined;
    // A connection that has gone quiet is not trusted with the retry either.
    const armTimer = () => {
      clearTimeout(timer);
      timer = setTimeout(
        () => socket.abandon(new ProviderError('elevenlabs', `no audio for ${this.audioTimeoutMs} ms`, { retryable: true })),
        this.audioTimeoutMs,
      );
    };
    try {
      if (signal?.aborted) return;
      socket.send({ text: ' ', context_id: contextId, ...(this.voiceSettings ? { voice_settings: realtimeSettings(this.voiceSettings) } : {}) });
      // Text should end with a space; flush generates it now instead of waiting for more text.
      socket.send({ text: `${text.trim()} `, context_id: contextId, flush: true });
      // isFinal only comes once the context is closed; a flushed context still finishes its audio.
      socket.send({ context_id: contextId, close_context: true });
      armTimer();
      for await (const event of events) {
        if (event.kind === 'aborted' || event.kind === 'final') return;
        if (event.kind === 'failed') throw event.error;
        armTimer();
        yield event.bytes;
      }
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      stopListening();
    }
  }

  private async *overHttp(text: string, signal?: AbortSignal): AsyncGenerator<Buffer> {
    let body: ReadableStream<Uint8Array>;
    const { client, isSdkError } = await this.sdk();
    try {
      body = await client.textToSpeech.stream(
        this.voiceId,
        { text, modelId: this.modelId, outputFormat: this.outputFormat, ...(this.voiceSettings ? { voiceSettings: this.voiceSettings } : {}) },
        { abortSignal: signal, maxRetries: 0, timeoutInSeconds: this.connectTimeoutMs / 1000 },
      );
    } catch (error) {
      if (signal?.aborted) return;
      throw httpError(error, isSdkError);
    }
    try {
      for await (const piece of body) {
        if (signal?.aborted) return;
        yield Buffer.from(piece.buffer, piece.byteOffset, piece.byteLength);
      }
    } catch (error) {
      if (signal?.aborted) return;
      throw new ProviderError('elevenlabs', `the audio stream broke off (${(error as Error).message})`, { retryable: true, cause: error });
    }
  }
}

function realtimeSettings(settings: ElevenLabs.RealtimeVoiceSettings): wire.RealtimeVoiceSettings.Raw {
  return {
    stability: settings.stability,
    similarity_boost: settings.similarityBoost,
    style: settings.style,
    use_speaker_boost: settings.useSpeakerBoost,
    speed: settings.speed,
  };
}

function httpError(error: unknown, isSdkError: (e: unknown) => e is { statusCode?: number; body?: unknown }): ProviderError {
  if (isSdkError(error) && error.statusCode !== undefined) return statusError(error.statusCode, detailStatus(error.body), 'HTTP stream');
  const cause = (error as Error).cause as Error | undefined;
  return new ProviderError('elevenlabs', `cannot reach the HTTP stream endpoint (${cause?.message ?? (error as Error).message})`, {
    retryable: true,
    cause: error,
  });
}
